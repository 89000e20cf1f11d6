import { chmodSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { exec } from "@textcat/kit/process";
import { missingPackages, planInstall } from "../system-packages.mjs";

const REPO_ROOT = resolve(import.meta.dirname, "../..");
const SCRIPT = join(REPO_ROOT, "scripts/system-packages.mjs");
const EVERYTHING = ["docker.io", "docker-registry", "awscli", "curl", "ca-certificates", "git"];
const isRoot = process.getuid?.() === 0;

describe("missingPackages", () => {
  test("names the package of each command that is not on PATH", () => {
    const present = new Set(["docker", "curl"]);
    expect(missingPackages((command) => present.has(command), false)).toEqual([
      "docker-registry",
      "awscli",
      "git",
    ]);
  });

  test("needs no docker-registry when a registry already answers", () => {
    expect(missingPackages(() => false, true)).toEqual(
      EVERYTHING.filter((name) => name !== "docker-registry"),
    );
    expect(missingPackages(() => false, false)).toEqual(EVERYTHING);
  });

  test("is empty when every command is there", () => {
    expect(missingPackages(() => true, false)).toEqual([]);
  });
});

describe("planInstall", () => {
  const missing = ["docker.io", "awscli"];
  const command = "apt-get update && apt-get install -y --no-install-recommends docker.io awscli";

  test("does nothing when nothing is missing, whoever runs it", () => {
    expect(planInstall({ missing: [], isRoot: false, hasAptGet: false, hasSudo: false })).toEqual({
      kind: "ready",
    });
  });

  test("installs as root with a one-line notice", () => {
    const plan = planInstall({ missing, isRoot: true, hasAptGet: true, hasSudo: false });
    expect(plan).toEqual({
      kind: "install",
      notice:
        "system-packages: installing docker.io, awscli (apt-get install -y --no-install-recommends docker.io awscli)",
      steps: [
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "docker.io", "awscli"],
      ],
      failure: `system-packages: could not install docker.io, awscli; run as root: ${command}`,
    });
  });

  test("installs through passwordless sudo when not root", () => {
    const plan = planInstall({ missing, isRoot: false, hasAptGet: true, hasSudo: true });
    expect(plan.kind === "install" && plan.steps.map((step) => step.slice(0, 3))).toEqual([
      ["sudo", "-n", "apt-get"],
      ["sudo", "-n", "apt-get"],
    ]);
  });

  test("asks for the exact command when it is not root and has no sudo", () => {
    expect(planInstall({ missing, isRoot: false, hasAptGet: true, hasSudo: false })).toEqual({
      kind: "ask",
      message: `system-packages: missing docker.io, awscli; run as root: ${command}`,
    });
  });

  test("asks when there is no apt-get, even as root", () => {
    expect(planInstall({ missing, isRoot: true, hasAptGet: false, hasSudo: false })).toEqual({
      kind: "ask",
      message: `system-packages: missing docker.io, awscli and no apt-get; on Debian/Ubuntu, as root: ${command}`,
    });
  });
});

describe("node scripts/system-packages.mjs", () => {
  /** A PATH holding node and the given fake commands only; the registry port answers nothing. */
  async function run(fakes: Record<string, string>) {
    const bin = mkdtempSync(join(tmpdir(), "system-packages-"));
    symlinkSync(process.execPath, join(bin, "node"));
    for (const [name, body] of Object.entries(fakes)) {
      writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    }
    const { code, stdout, stderr } = await exec(join(bin, "node"), [SCRIPT], {
      env: { PATH: bin, REGISTRY_PORT: "1", LOG: join(bin, "apt.log") },
      quiet: true,
    });
    const log = (() => {
      try {
        return readFileSync(join(bin, "apt.log"), "utf8");
      } catch {
        return "";
      }
    })();
    return { status: code, stdout, stderr, log };
  }

  test("without apt-get: one line naming the command, exit 2, nothing on stdout", async () => {
    const result = await run({});
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `system-packages: missing ${EVERYTHING.join(", ")} and no apt-get; on Debian/Ubuntu, as root: ` +
        `apt-get update && apt-get install -y --no-install-recommends ${EVERYTHING.join(" ")}\n`,
    );
  });

  test.skipIf(!isRoot)("as root: installs with apt-get behind a one-line notice", async () => {
    const result = await run({ "apt-get": 'echo "$@" >>"$LOG"' });
    expect(result.status).toBe(0);
    expect(result.stderr.split("\n")).toEqual([
      expect.stringMatching(/^system-packages: installing docker\.io, /),
      "",
    ]);
    expect(result.log).toBe(`update -qq\ninstall -y -qq --no-install-recommends ${EVERYTHING.join(" ")}\n`);
  });

  test.skipIf(!isRoot)(
    "as root, when apt-get fails (no network): the command in one line, exit 2",
    async () => {
      const result = await run({ "apt-get": 'echo "$@" >>"$LOG"; [ "$1" != install ]' });
      expect(result.status).toBe(2);
      expect(result.stderr.trimEnd().split("\n")).toEqual([
        expect.stringMatching(/^system-packages: installing /),
        `system-packages: could not install ${EVERYTHING.join(", ")}; run as root: ` +
          `apt-get update && apt-get install -y --no-install-recommends ${EVERYTHING.join(" ")}`,
      ]);
    },
  );
});

// .npmrc sets ignore-scripts, and then npm "will not run any pre- or post-scripts" of npm test and
// npm run-script (https://docs.npmjs.com/cli/v9/commands/npm-test/#ignore-scripts): a pretest hook would
// be skipped, so the check must be inside the scripts themselves.
test("npm test, npm run pipeline:local and CI's system part check the system packages first", () => {
  const { scripts } = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  expect(readFileSync(join(REPO_ROOT, ".npmrc"), "utf8")).toMatch(/^ignore-scripts=true$/m);
  expect(scripts.test).toMatch(
    /^node scripts\/system-packages\.mjs && scripts\/ensure-services\.sh && vitest run$/,
  );
  expect(scripts["pipeline:local"]).toMatch(/^node scripts\/system-packages\.mjs && tsx /);
  const ciScript = readFileSync(join(REPO_ROOT, "scripts/ci/run.sh"), "utf8");
  expect(ciScript).toContain("part_system() { node scripts/system-packages.mjs; }");
  expect(ciScript).not.toMatch(/apt-get install/);
});
