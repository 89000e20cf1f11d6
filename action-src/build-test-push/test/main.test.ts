import {
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  ImageNotFoundException,
  RepositoryNotFoundException,
} from "@aws-sdk/client-ecr";
import { mockClient } from "aws-sdk-client-mock";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { fakeClock } from "@textcat/action-shared/clock";
import type { CommandOptions, CommandResult } from "@textcat/action-shared/exec";
import type { ActionEnv } from "@textcat/action-shared/testing/action-env";
import { actionEnvFor } from "@textcat/action-shared/testing/action-env";
import { captureStdout } from "@textcat/action-shared/testing/capture-stdout";
import { run } from "../src/main.js";

const setupActionEnv = actionEnvFor("build-test-push");

const REPO_URI = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/textcat-lambda";
const PUSHED = "sha256:" + "1".repeat(64);
const OTHER = "sha256:" + "2".repeat(64);
const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
const PINNED = `public.ecr.aws/lambda/nodejs:22@sha256:${"a".repeat(64)}`;
const PATCHED = `public.ecr.aws/lambda/nodejs:22@sha256:${"b".repeat(64)}`;

const ecr = mockClient(ECRClient);
let env: ActionEnv;
let root: string;
let printed: string[];

interface Call {
  command: string;
  args: string[];
  input?: string;
}

/**
 * A fake command runner: records calls; `failOn` makes the matching command exit 1; `containerd`
 * makes `docker info` report the containerd image store.
 */
function fakeRunner(options: { failOn?: string; pushDigest?: string; containerd?: boolean } = {}) {
  const calls: Call[] = [];
  const runCommand = async (
    command: string,
    args: string[] = [],
    opts: CommandOptions = {},
  ): Promise<CommandResult> => {
    calls.push({ command, args, input: opts.input });
    const line = [command, ...args].join(" ");
    if (options.failOn && line.includes(options.failOn))
      return { exitCode: 1, stdout: "", stderr: `step output\n${options.failOn}: it broke` };
    if (command === "docker" && args[0] === "info") {
      const status = options.containerd
        ? [["driver-type", "io.containerd.snapshotter.v1"]]
        : [["Backing Filesystem", "extfs"]];
      return { exitCode: 0, stdout: `${JSON.stringify(status)}\n`, stderr: "" };
    }
    if (command === "docker" && args[0] === "push") {
      return {
        exitCode: 0,
        stdout: `${args.at(-1)}: digest: ${options.pushDigest ?? PUSHED} size: 1789\n`,
        stderr: "",
      };
    }
    return { exitCode: 0, stdout: "", stderr: "" };
  };
  const summary = () => calls.map((c) => [c.command, ...c.args.slice(0, 2)].join(" "));
  return { runCommand, calls, summary };
}

async function runAction(runner: ReturnType<typeof fakeRunner>, inputs: Record<string, string> = {}) {
  env = setupActionEnv(
    { "ecr-repository": "textcat-lambda", "content-paths": "service/\nmodel.onnx", ...inputs },
    { AWS_REGION: "eu-west-1" },
  );
  await run({
    runCommand: runner.runCommand,
    clock: fakeClock(),
    repoRoot: root,
    createEcrClient: () => new ECRClient({ region: "eu-west-1" }),
  });
  return { outputs: env.outputs(), errors: printed.filter((line) => line.startsWith("::error::")) };
}

function imageWithTag(digest: string, mediaType = DOCKER_MANIFEST) {
  return { imageDetails: [{ imageDigest: digest, imageManifestMediaType: mediaType, imageTags: ["ck-x"] }] };
}

beforeEach(() => {
  ecr.reset();
  ecr
    .on(DescribeRepositoriesCommand)
    .resolves({ repositories: [{ repositoryName: "textcat-lambda", repositoryUri: REPO_URI }] });
  ecr.on(GetAuthorizationTokenCommand).resolves({
    authorizationData: [
      {
        authorizationToken: Buffer.from("AWS:secret-password").toString("base64"),
        proxyEndpoint: `https://${REPO_URI.split("/")[0]}`,
      },
    ],
  });
  root = mkdtempSync(join(tmpdir(), "btp-"));
  mkdirSync(join(root, "service"));
  writeFileSync(join(root, "service", "Dockerfile"), "FROM scratch\n");
  writeFileSync(join(root, "service", "base-image.pin"), `# the base image\n${PINNED}\n`);
  writeFileSync(join(root, "model.onnx"), "model");
  printed = captureStdout();
});
afterEach(() => {
  vi.restoreAllMocks();
  env.restore();
  rmSync(root, { recursive: true, force: true });
});

const notFound = () => new ImageNotFoundException({ message: "not found", $metadata: {} });

describe("build-test-push run()", () => {
  test("an image already tagged with the content key is reused: nothing is built or pushed", async () => {
    ecr.on(DescribeImagesCommand).resolves(imageWithTag(OTHER));
    const runner = fakeRunner();
    const { outputs, errors } = await runAction(runner);
    expect(errors).toEqual([]);
    expect(runner.calls).toEqual([]);
    expect(outputs).toMatchObject({ reused: "true", digest: OTHER, "image-uri": `${REPO_URI}@${OTHER}` });
    expect(outputs["content-key"]).toMatch(/^[0-9a-f]{64}$/);
    const lookup = ecr.commandCalls(DescribeImagesCommand)[0]!.args[0].input;
    expect(lookup).toEqual({
      repositoryName: "textcat-lambda",
      imageIds: [{ imageTag: `ck-${outputs["content-key"]}` }],
    });
  });

  test("with a github-token, the commit that was built gets a status (no repository context: a notice)", async () => {
    ecr.on(DescribeImagesCommand).resolves(imageWithTag(OTHER));
    const runner = fakeRunner();
    const { errors } = await runAction(runner, { "github-token": "ghs_secret" });
    expect(errors).toEqual([]);
    expect(runner.summary()).toEqual(["git rev-parse HEAD"]);
    expect(printed.join("\n")).toContain("::add-mask::ghs_secret");
    expect(printed.join("\n")).toMatch(/commit status textcat\/image not recorded: no repository context/);
  });

  test("otherwise: build, test inside the image, login, tag, push, read back — in that order", async () => {
    ecr
      .on(DescribeImagesCommand)
      .rejectsOnce(notFound())
      .rejectsOnce(notFound())
      .resolves(imageWithTag(PUSHED));
    const runner = fakeRunner();
    const { outputs, errors } = await runAction(runner);
    expect(errors).toEqual([]);
    const key = outputs["content-key"]!;
    const local = `textcat-lambda:ck-${key}`;
    expect(runner.calls.map((c) => [c.command, ...c.args].join(" "))).toEqual([
      `npm run image:build -- --tag ${local} --base-image ${PINNED}`,
      `npm run image:test -- --image ${local}`,
      `docker login --username AWS --password-stdin https://${REPO_URI.split("/")[0]}`,
      `docker tag ${local} ${REPO_URI}:ck-${key}`,
      "docker info --format {{json .DriverStatus}}",
      `docker push ${REPO_URI}:ck-${key}`,
      `docker logout https://${REPO_URI.split("/")[0]}`,
    ]);
    expect(runner.calls[2]!.input).toBe("secret-password");
    expect(printed).toContain("::add-mask::secret-password\n");
    const maskedAt = printed.indexOf("::add-mask::secret-password\n");
    expect(printed.slice(0, maskedAt).join("")).not.toContain("secret-password");
    expect(outputs).toEqual({
      digest: PUSHED,
      "image-uri": `${REPO_URI}@${PUSHED}`,
      "content-key": key,
      reused: "false",
    });
    const summary = env.summary();
    expect(summary).toContain(key);
    expect(summary).toContain(PUSHED);
    for (const step of ["build image", "test inside image", "push", "read digest from ECR"])
      expect(summary).toContain(`<td>${step}</td>`);
  });

  test("under the containerd image store only the linux/amd64 manifest is pushed, not the index", async () => {
    ecr.on(DescribeImagesCommand).rejectsOnce(notFound()).resolves(imageWithTag(PUSHED));
    const runner = fakeRunner({ containerd: true });
    const { outputs, errors } = await runAction(runner);
    expect(errors).toEqual([]);
    const push = runner.calls.find((call) => call.command === "docker" && call.args[0] === "push");
    expect(push?.args).toEqual([
      "push",
      "--platform",
      "linux/amd64",
      `${REPO_URI}:ck-${outputs["content-key"]}`,
    ]);
  });

  test.each([
    [
      "the build fails",
      "image:build",
      "image build failed (exit 1): image:build: it broke",
      ["npm run image:build"],
    ],
    [
      "the tests in the image fail",
      "image:test",
      "image tests failed (exit 1): image:test: it broke",
      ["npm run image:build", "npm run image:test"],
    ],
  ])("%s → nothing is pushed", async (_case, failOn, message, commands) => {
    ecr.on(DescribeImagesCommand).rejects(notFound());
    const runner = fakeRunner({ failOn });
    const { outputs, errors } = await runAction(runner);
    expect(errors).toEqual([`::error::${message}\n`]);
    expect(process.exitCode).toBe(1);
    expect(runner.summary()).toEqual(commands);
    expect(ecr.commandCalls(GetAuthorizationTokenCommand)).toHaveLength(0);
    expect(outputs).toEqual({});
    expect(env.summary()).toContain("failed: nothing was pushed under the content key");
  });

  test("a digest in ECR that differs from what docker push reported fails the step", async () => {
    ecr.on(DescribeImagesCommand).rejectsOnce(notFound()).resolves(imageWithTag(OTHER));
    const { outputs, errors } = await runAction(fakeRunner());
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      new RegExp(
        `^::error::digest mismatch: docker push reported ${PUSHED}, ECR holds ${OTHER} for ck-[0-9a-f]{64}\\n$`,
      ),
    );
    expect(outputs).toEqual({});
  });

  test("a pushed multi-platform index is refused (Lambda needs one platform)", async () => {
    ecr
      .on(DescribeImagesCommand)
      .rejectsOnce(notFound())
      .resolves(imageWithTag(PUSHED, "application/vnd.oci.image.index.v1+json"));
    const { errors } = await runAction(fakeRunner());
    expect(errors[0]).toContain(
      "is a multi-platform index (application/vnd.oci.image.index.v1+json); Lambda needs a single-platform image",
    );
  });

  test("a missing repository is one clear line", async () => {
    ecr
      .on(DescribeRepositoriesCommand)
      .rejects(new RepositoryNotFoundException({ message: "nope", $metadata: {} }));
    const runner = fakeRunner();
    const { errors } = await runAction(runner);
    expect(errors).toEqual(['::error::ECR repository "textcat-lambda" does not exist in eu-west-1\n']);
    expect(runner.calls).toEqual([]);
  });

  test("ECR not yet listing the pushed tag is retried, then reported", async () => {
    ecr.on(DescribeImagesCommand).rejects(notFound());
    const { errors } = await runAction(fakeRunner());
    expect(errors).toEqual([
      expect.stringMatching(/^::error::ECR does not list .*:ck-[0-9a-f]{64} after the push\n$/),
    ]);
    expect(ecr.commandCalls(DescribeImagesCommand)).toHaveLength(1 + 6);
  });

  test("a push refused because another run pushed the same key meanwhile reuses that image", async () => {
    ecr.on(DescribeImagesCommand).rejectsOnce(notFound()).resolves(imageWithTag(OTHER));
    const { outputs, errors } = await runAction(fakeRunner({ failOn: "docker push" }));
    expect(errors).toEqual([]);
    expect(outputs).toMatchObject({ reused: "true", digest: OTHER });
  });

  test("a moved pin is a new content key: the image is built anew FROM the new digest", async () => {
    ecr.on(DescribeImagesCommand).rejects(notFound());
    const before = await runAction(fakeRunner({ failOn: "image:test" }));
    env.restore();
    writeFileSync(join(root, "service", "base-image.pin"), `# the base image\n${PATCHED}\n`);
    const runner = fakeRunner({ failOn: "image:test" });
    await runAction(runner);
    const keys = ecr
      .commandCalls(DescribeImagesCommand)
      .map((call) => call.args[0].input.imageIds?.[0]?.imageTag);
    expect(keys).toHaveLength(2);
    expect(keys[1]).not.toBe(keys[0]);
    expect(before.errors).toHaveLength(1);
    expect(runner.calls[0]?.args).toEqual(expect.arrayContaining(["--base-image", PATCHED]));
  });

  test("an explicit base-image wins over the pin", async () => {
    ecr.on(DescribeImagesCommand).rejects(notFound());
    const runner = fakeRunner({ failOn: "image:test" });
    await runAction(runner, { "base-image": "example.com/base:1" });
    expect(runner.calls[0]?.args).toEqual(expect.arrayContaining(["--base-image", "example.com/base:1"]));
  });

  test.each([
    ["missing", null, /cannot read the base image pin .*service\/base-image.pin/],
    ["not pinned by digest", "public.ecr.aws/lambda/nodejs:22\n", /must end in @sha256:<64 hex>/],
  ])("a pin file %s fails before anything else, naming the file", async (_case, text, message) => {
    if (text === null) rmSync(join(root, "service", "base-image.pin"));
    else writeFileSync(join(root, "service", "base-image.pin"), text);
    const runner = fakeRunner();
    const { errors } = await runAction(runner);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
    expect(runner.calls).toEqual([]);
    expect(ecr.calls()).toHaveLength(0);
  });

  test("a missing content path fails before anything else", async () => {
    const runner = fakeRunner();
    const { errors } = await runAction(runner, { "content-paths": "service/\nnot-there.txt" });
    expect(errors).toEqual(['::error::content path "not-there.txt" does not exist\n']);
    expect(ecr.calls()).toHaveLength(0);
  });
});

describe("build-test-push run() with mode lookup (the step before anything is installed)", () => {
  test("a tested image in ECR: the same outputs as a reuse, and nothing is run", async () => {
    ecr.on(DescribeImagesCommand).resolves(imageWithTag(OTHER));
    const runner = fakeRunner();
    const { outputs, errors } = await runAction(runner, { mode: "lookup" });
    expect(errors).toEqual([]);
    expect(runner.calls).toEqual([]);
    expect(outputs).toMatchObject({ reused: "true", digest: OTHER, "image-uri": `${REPO_URI}@${OTHER}` });
  });

  test("none: reused=false and the content key, no digest, no build, no status, no failure", async () => {
    ecr.on(DescribeImagesCommand).rejects(notFound());
    const runner = fakeRunner();
    const { outputs, errors } = await runAction(runner, { mode: "lookup", "github-token": "ghs_secret" });
    expect(errors).toEqual([]);
    expect(runner.calls).toEqual([]);
    expect(outputs).toEqual({ reused: "false", "content-key": expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(process.exitCode ?? 0).toBe(0);
    expect(env.summary()).toContain("must be built");
  });
});
