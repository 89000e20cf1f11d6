import { createHash } from "node:crypto";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "@textcat/kit/process";
import { RegistryClient } from "../src/registry-client.js";
const HERE = dirname(fileURLToPath(import.meta.url));
export const FIXTURE_REPOSITORY = "local-aws-test/runtime-fixture";

export interface FixtureImage {
  tag: string;
  digest: string;
  uri: string;
}

/**
 * Builds a tiny Lambda-contract image from this machine's node binary (no base image can be
 * pulled here): FROM scratch, node + its libraries, the test runtime client, and a marker file
 * that makes each variant a different digest. Pushed to the local registry.
 */
export async function fixtureImage(
  marker: string,
  registryUrl = "http://127.0.0.1:5000",
): Promise<FixtureImage> {
  const registry = new RegistryClient(registryUrl);
  const bootstrap = await readFile(join(HERE, "fixture/bootstrap.mjs"));
  const tag = `${marker}-${createHash("sha256").update(bootstrap).digest("hex").slice(0, 12)}`;
  return withLock(async () => {
    const existing = await registry.manifest(FIXTURE_REPOSITORY, tag);
    if (existing) return describe(registry, tag, existing.digest);
    return build(registry, marker, tag);
  });
}

function describe(registry: RegistryClient, tag: string, digest: string): FixtureImage {
  return { tag, digest, uri: `${registry.host}/${FIXTURE_REPOSITORY}@${digest}` };
}

/** Test files run in parallel processes: one builds, the others then find the tag. */
async function withLock<T>(work: () => Promise<T>): Promise<T> {
  const lock = join(tmpdir(), "local-aws-fixture.lock");
  for (let attempt = 0; ; attempt++) {
    try {
      await mkdir(lock);
      break;
    } catch {
      if (attempt > 600)
        throw new Error(`fixture image lock ${lock} is held for too long; remove it if stale`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

async function build(registry: RegistryClient, marker: string, tag: string): Promise<FixtureImage> {
  const context = await mkdtemp(join(tmpdir(), "local-aws-fixture-"));
  try {
    await copyWithLibraries("/usr/bin/node", join(context, "base"));
    await mkdir(join(context, "base/opt"), { recursive: true });
    await copyFile(join(HERE, "fixture/bootstrap.mjs"), join(context, "base/opt/bootstrap.mjs"));
    await mkdir(join(context, "task"), { recursive: true });
    await writeFile(join(context, "task/marker.txt"), `${marker}\n`);
    await writeFile(
      join(context, "Dockerfile"),
      [
        "FROM scratch",
        "COPY base/ /",
        "COPY task/ /var/task/",
        "WORKDIR /var/task",
        'ENTRYPOINT ["/usr/bin/node", "/opt/bootstrap.mjs"]',
        'CMD ["app.handler"]',
      ].join("\n"),
    );
    const reference = `${registry.host}/${FIXTURE_REPOSITORY}:${tag}`;
    await run("docker", ["build", "--quiet", "--tag", reference, context], {
      env: { ...process.env, DOCKER_BUILDKIT: "0" },
      quiet: true,
    });
    await run("docker", ["push", "--quiet", reference], { quiet: true });
    const manifest = await registry.manifest(FIXTURE_REPOSITORY, tag);
    if (!manifest) throw new Error(`pushed ${reference} but the registry does not have it`);
    return describe(registry, tag, manifest.digest);
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

async function copyWithLibraries(binary: string, root: string): Promise<void> {
  const stdout = await run("ldd", [binary], { quiet: true });
  const libraries = [...stdout.matchAll(/(\/\S+\.so[.\d]*)/g)].map((match) => match[1] ?? "");
  for (const file of [binary, ...libraries]) {
    await mkdir(join(root, dirname(file)), { recursive: true });
    await copyFile(file, join(root, file));
  }
}
