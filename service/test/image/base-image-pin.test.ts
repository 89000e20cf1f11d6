/**
 * The patched-base story on this machine: the stand-in base plays public.ecr.aws/lambda/nodejs:22. It is pushed
 * to the local registry under a tag; the pin resolves that tag; the stand-in is "patched" and pushed under the
 * same tag; base-image:update moves the pin to the new digest (the one docker push reported), and the content
 * key build-test-push computes from the pin changes with it. Needs Docker and the registry on 127.0.0.1:5000.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { exec, runSync, succeeds } from "@textcat/kit/process";
import { collectContent, computeContentKey } from "@textcat/action-build-test-push/content-key";
import { type Inputs, resolveBaseImage } from "@textcat/action-build-test-push/inputs";
import { IMAGE_CONTENT_PATHS } from "../../scripts/image-context.js";
import { ensureStandinBase } from "../../base-image/build.js";
import { updatePin } from "../../scripts/base-image-update.js";

const REPO_ROOT = resolve(import.meta.dirname, "../../..");
const TAG = `127.0.0.1:5000/textcat-pin-test-${process.pid}/lambda-nodejs:22`;
const PATCH_TAG = `textcat-pin-test-${process.pid}:patched`;

function docker(...args: string[]): string {
  return runSync("docker", args);
}

/** docker push prints the digest the registry stored; that is the independent witness here. */
function push(): string {
  const digest = /digest: (sha256:[0-9a-f]{64})/.exec(docker("push", TAG))?.[1];
  if (!digest) throw new Error(`docker push ${TAG} printed no digest`);
  pushed.push(digest);
  return digest;
}

async function servicesUp(): Promise<boolean> {
  await succeeds(resolve(REPO_ROOT, "scripts/ensure-services.sh"), []);
  const registry = await succeeds("curl", ["-sf", "http://127.0.0.1:5000/v2/"]);
  return registry && (await succeeds("docker", ["info"]));
}

const up = await servicesUp();
if (!up && process.env.CI)
  throw new Error("this test needs Docker and the registry: run scripts/ensure-services.sh");

let repo = "";
let standin = "";
const pushed: string[] = [];

beforeAll(async () => {
  if (!up) return;
  standin = await ensureStandinBase();
  repo = mkdtempSync(join(tmpdir(), "pin-repo-"));
  mkdirSync(join(repo, "service"));
}, 900_000);

afterAll(async () => {
  if (!up) return;
  const repository = TAG.slice(0, TAG.lastIndexOf(":"));
  const references = [TAG, PATCH_TAG, ...pushed.map((digest) => `${repository}@${digest}`)];
  await succeeds("docker", ["image", "rm", ...references]);
  rmSync(repo, { recursive: true, force: true });
});

test.skipIf(!up)(
  "a patched stand-in base moves the pin to its new digest, and the content key with it",
  async () => {
    const pinPath = join(repo, "service", "base-image.pin");
    const inputs = { baseImage: "", baseImagePin: "service/base-image.pin" } as Inputs;
    const content = collectContent(REPO_ROOT, IMAGE_CONTENT_PATHS);
    const contentKey = () => computeContentKey(content, resolveBaseImage(inputs, repo));

    docker("tag", standin, TAG);
    const first = push();
    writeFileSync(
      pinPath,
      `# stand-in for public.ecr.aws/lambda/nodejs:22\n${TAG}@sha256:${"0".repeat(64)}\n`,
    );
    expect((await updatePin(pinPath)).changed).toBe(true);
    expect(readFileSync(pinPath, "utf8")).toContain(`${TAG}@${first}\n`);
    const keyBefore = contentKey();
    expect(await updatePin(pinPath)).toMatchObject({ changed: false, pin: { digest: first } });

    // The publisher rebuilds the tag (here: one more label on the stand-in) and pushes it.
    const patched = await exec("docker", ["build", "-q", "-t", PATCH_TAG, "-"], {
      input: `FROM ${standin}\nLABEL textcat.test.patch="${process.pid}"\n`,
      quiet: true,
    });
    expect(patched.code, patched.stderr).toBe(0);
    docker("tag", PATCH_TAG, TAG);
    const second = push();
    expect(second).not.toBe(first);

    const plan = await updatePin(pinPath);
    expect(plan).toMatchObject({ changed: true, previous: { digest: first }, pin: { digest: second } });
    expect(readFileSync(pinPath, "utf8")).toBe(
      `# stand-in for public.ecr.aws/lambda/nodejs:22\n${TAG}@${second}\n`,
    );
    expect(resolveBaseImage(inputs, repo)).toBe(`${TAG}@${second}`);
    expect(contentKey()).not.toBe(keyBefore);
  },
  300_000,
);

test("the CLI: a malformed pin is one line and exit 2", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pin-cli-"));
  try {
    writeFileSync(join(dir, "bad.pin"), "public.ecr.aws/lambda/nodejs:22\n");
    const result = await exec(
      process.execPath,
      [
        resolve(REPO_ROOT, "node_modules/tsx/dist/cli.mjs"),
        "service/scripts/base-image-update.ts",
        "--pin",
        join(dir, "bad.pin"),
      ],
      { cwd: REPO_ROOT, quiet: true },
    );
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([
      `base-image: ${join(dir, "bad.pin")}: "public.ecr.aws/lambda/nodejs:22" must end in @sha256:<64 hex> (the base image pinned by digest)`,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
