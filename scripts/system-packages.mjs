/* global fetch, AbortSignal */
/**
 * node scripts/system-packages.mjs
 * The system packages the pipeline and the tests need, in one place: `npm test`, `npm run
 * pipeline:local` and scripts/ci/run.sh's `system` part run it first. What is missing is installed with
 * apt-get behind a one-line notice; when it cannot be (not root and no passwordless sudo, no apt-get, the
 * install fails), the exact command is printed in one line and the exit code is 2.
 * Plain JavaScript on purpose: it runs before `npm ci` (tsx is not there yet) and on any Node. So it
 * runs its two commands (sudo -n, apt-get) with node:child_process itself: the repository's process
 * runner (@textcat/kit/process) is TypeScript behind the workspace link `npm ci` creates, and neither
 * that link nor a Node that strips types can be counted on yet.
 * It is called from inside the npm scripts, not from pre-hooks, because .npmrc sets ignore-scripts and
 * then npm run-script and npm test "will not run any pre- or post-scripts"
 * (https://docs.npmjs.com/cli/v9/commands/npm-test/#ignore-scripts).
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { pathToFileURL } from "node:url";

/** Debian/Ubuntu package → the command that shows it is installed. */
export const SYSTEM_PACKAGES = [
  { name: "docker.io", command: "docker" },
  // Only needed when no registry answers: ci.yml provides one as a `services:` container.
  { name: "docker-registry", command: "docker-registry", unlessRegistryUp: true },
  { name: "awscli", command: "aws" },
  { name: "curl", command: "curl" },
  { name: "ca-certificates", command: "curl" },
  { name: "git", command: "git" },
];

/** The packages to install, given which commands are on PATH and whether a registry answers. */
export function missingPackages(hasCommand, registryUp) {
  return SYSTEM_PACKAGES.filter(
    (pkg) => !hasCommand(pkg.command) && !(pkg.unlessRegistryUp && registryUp),
  ).map((pkg) => pkg.name);
}

/** What to do about the missing packages: nothing, install them (as root or through sudo), or ask. */
export function planInstall({ missing, isRoot, hasAptGet, hasSudo }) {
  if (missing.length === 0) return { kind: "ready" };
  const install = `apt-get install -y --no-install-recommends ${missing.join(" ")}`;
  if (!hasAptGet)
    return {
      kind: "ask",
      message: `system-packages: missing ${missing.join(", ")} and no apt-get; on Debian/Ubuntu, as root: apt-get update && ${install}`,
    };
  if (!isRoot && !hasSudo)
    return {
      kind: "ask",
      message: `system-packages: missing ${missing.join(", ")}; run as root: apt-get update && ${install}`,
    };
  const prefix = isRoot ? [] : ["sudo", "-n"];
  return {
    kind: "install",
    notice: `system-packages: installing ${missing.join(", ")} (${isRoot ? "" : "sudo "}${install})`,
    steps: [
      [...prefix, "apt-get", "update", "-qq"],
      [...prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", ...missing],
    ],
    failure: `system-packages: could not install ${missing.join(", ")}; run as root: apt-get update && ${install}`,
  };
}

function onPath(command) {
  return (process.env.PATH ?? "").split(delimiter).some((dir) => {
    try {
      accessSync(join(dir || ".", command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

async function registryAnswers() {
  const url = `http://127.0.0.1:${process.env.REGISTRY_PORT || "5000"}/v2/`;
  return fetch(url, { signal: AbortSignal.timeout(3000) }).then(
    (response) => response.ok,
    () => false,
  );
}

async function main() {
  const plan = planInstall({
    missing: missingPackages(onPath, await registryAnswers()),
    isRoot: process.getuid?.() === 0,
    hasAptGet: onPath("apt-get"),
    hasSudo: onPath("sudo") && spawnSync("sudo", ["-n", "true"], { stdio: "ignore" }).status === 0,
  });
  if (plan.kind === "ready") return;
  if (plan.kind === "ask") {
    console.error(plan.message);
    process.exitCode = 2;
    return;
  }
  console.error(plan.notice);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const [command, ...args] of plan.steps) {
    const result = spawnSync(command, args, { stdio: ["ignore", "ignore", "inherit"], env });
    if (result.status !== 0) {
      console.error(plan.failure);
      process.exitCode = 2;
      return;
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
