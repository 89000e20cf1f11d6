/**
 * The check after the push, against the real OCI registry behind the local ECR: Docker 29's
 * containerd store pushes an OCI image index when the push is not limited to one platform, and
 * Lambda refuses an index ("Lambda does not support multi-architecture images",
 * https://docs.aws.amazon.com/lambda/latest/dg/images-create.html). This machine's Docker 28 uses the
 * classic store, so the fake `docker push` below stores the index such a push produces: the image
 * manifest plus an attestation manifest, as BuildKit's provenance adds.
 */
import { ECRClient } from "@aws-sdk/client-ecr";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startLocalAws, type LocalAws } from "@textcat/local-aws";
import { RegistryClient } from "@textcat/local-aws/registry-client";
import { FIXTURE_REPOSITORY, fixtureImage } from "@textcat/local-aws/testing/fixture-image";
import { fakeClock } from "@textcat/action-shared/clock";
import type { CommandResult } from "@textcat/action-shared/exec";
import { actionEnvFor } from "@textcat/action-shared/testing/action-env";
import { captureStdout } from "@textcat/action-shared/testing/capture-stdout";
import { run } from "../src/main.js";

const setupActionEnv = actionEnvFor("build-test-push");

const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
let aws: LocalAws;
let root: string;

beforeAll(async () => {
  aws = await startLocalAws();
  root = mkdtempSync(join(tmpdir(), "btp-index-"));
  mkdirSync(join(root, "service"));
  writeFileSync(join(root, "service", "Dockerfile"), "FROM scratch\n");
  writeFileSync(join(root, "model.onnx"), `model ${randomUUID()}`); // a content key no other run used
}, 120_000);
afterAll(async () => {
  await aws?.close();
  rmSync(root, { recursive: true, force: true });
});

/** What a plain `docker push` of a containerd-store image puts in the registry under the tag. */
async function pushIndex(registry: RegistryClient, tag: string): Promise<string> {
  const image = await fixtureImage("btp-index");
  const manifest = (await registry.manifest(FIXTURE_REPOSITORY, image.digest))!;
  const entry = {
    mediaType: manifest.mediaType,
    digest: manifest.digest,
    size: Buffer.byteLength(manifest.body),
  };
  const index = {
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [
      { ...entry, platform: { architecture: "amd64", os: "linux" } },
      {
        ...entry,
        platform: { architecture: "unknown", os: "unknown" },
        annotations: { "vnd.docker.reference.type": "attestation-manifest" },
      },
    ],
  };
  return registry.putManifest(FIXTURE_REPOSITORY, tag, JSON.stringify(index), OCI_INDEX);
}

test("an index in ECR after the push fails the step: nothing is output for promote", async () => {
  const registry = new RegistryClient(aws.registryUrl);
  const runCommand = async (command: string, args: string[] = []): Promise<CommandResult> => {
    if (command === "docker" && args[0] === "push") {
      const ref = args.at(-1)!;
      const digest = await pushIndex(registry, ref.slice(ref.lastIndexOf(":") + 1));
      return { exitCode: 0, stdout: `${ref}: digest: ${digest} size: 1\n`, stderr: "" };
    }
    return { exitCode: 0, stdout: "", stderr: "" };
  };
  const printed = captureStdout();
  const env = setupActionEnv(
    {
      "ecr-repository": FIXTURE_REPOSITORY,
      "content-paths": "service/\nmodel.onnx",
      "base-image": "textcat-lambda-base:local",
    },
    { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" },
  );
  try {
    await run({
      runCommand,
      clock: fakeClock(),
      repoRoot: root,
      createEcrClient: (region) => new ECRClient({ region, endpoint: aws.endpoint, maxAttempts: 1 }),
    });
    const errors = printed.filter((line) => line.startsWith("::error::"));
    expect(errors).toEqual([
      expect.stringContaining(
        `is a multi-platform index (${OCI_INDEX}); Lambda needs a single-platform image`,
      ),
    ]);
    expect(process.exitCode).toBe(1);
    expect(env.outputs()).toEqual({});
  } finally {
    env.restore();
  }
}, 180_000);
