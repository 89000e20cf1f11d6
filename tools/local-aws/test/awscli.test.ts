import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
} from "@aws-sdk/client-ecr";
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  PublishVersionCommand,
  waitUntilFunctionActiveV2,
} from "@aws-sdk/client-lambda";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exec } from "@textcat/kit/process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalAws, type LocalAws } from "../src/index.js";
import { clientsFor, decode } from "./clients.js";
import { FIXTURE_REPOSITORY, fixtureImage, type FixtureImage } from "./fixture-image.js";
// Debian's awscli, an independent implementation of the wire protocols (botocore).
const AWS_CLI = existsSync("/usr/bin/aws") ? "/usr/bin/aws" : "aws";
const FunctionName = "cli-fn";

let aws: LocalAws;
let clients: ReturnType<typeof clientsFor>;
let image: FixtureImage;
let scratch: string;

beforeAll(async () => {
  image = await fixtureImage("cli-a");
  aws = await startLocalAws({ updateDelayMs: 200 });
  clients = clientsFor(aws.endpoint);
  scratch = await mkdtemp(join(tmpdir(), "local-aws-cli-"));
  await clients.lambda.send(
    new CreateFunctionCommand({
      FunctionName,
      Role: "arn:aws:iam::000000000000:role/local",
      PackageType: "Image",
      Code: { ImageUri: image.uri },
    }),
  );
  await waitUntilFunctionActiveV2({ client: clients.lambda, maxWaitTime: 60 }, { FunctionName });
  await clients.lambda.send(new PublishVersionCommand({ FunctionName }));
  await clients.lambda.send(new CreateAliasCommand({ FunctionName, Name: "live", FunctionVersion: "1" }));
});
afterAll(async () => {
  await aws?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: scratch,
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_PAGER: "",
  };
  return exec(AWS_CLI, ["--endpoint-url", aws.endpoint, "--output", "json", ...args], { env, quiet: true });
}

const parse = (text: string): Record<string, unknown> => JSON.parse(text) as Record<string, unknown>;

describe("awscli gets the answers the SDK gets", () => {
  it("ecr describe-repositories and describe-images", async () => {
    const repository = FIXTURE_REPOSITORY;
    const viaCli = parse(
      (await cli("ecr", "describe-repositories", "--repository-names", repository)).stdout,
    );
    const viaSdk = await clients.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [repository] }));
    expect(viaCli.repositories).toEqual([
      expect.objectContaining({ repositoryUri: viaSdk.repositories?.[0]?.repositoryUri }),
    ]);

    const images = parse(
      (
        await cli(
          "ecr",
          "describe-images",
          "--repository-name",
          repository,
          "--image-ids",
          `imageTag=${image.tag}`,
        )
      ).stdout,
    );
    const sdkImages = await clients.ecr.send(
      new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageTag: image.tag }] }),
    );
    const [cliDetail] = images.imageDetails as Record<string, unknown>[];
    expect(cliDetail).toMatchObject({
      imageDigest: image.digest,
      imageTags: sdkImages.imageDetails?.[0]?.imageTags,
      imageSizeInBytes: sdkImages.imageDetails?.[0]?.imageSizeInBytes,
    });
  });

  it("ecr batch-get-image returns the same manifest", async () => {
    const repository = FIXTURE_REPOSITORY;
    const viaCli = parse(
      (
        await cli(
          "ecr",
          "batch-get-image",
          "--repository-name",
          repository,
          "--image-ids",
          `imageDigest=${image.digest}`,
        )
      ).stdout,
    );
    const viaSdk = await clients.ecr.send(
      new BatchGetImageCommand({ repositoryName: repository, imageIds: [{ imageDigest: image.digest }] }),
    );
    const [cliImage] = viaCli.images as { imageManifest: string }[];
    expect(cliImage?.imageManifest).toBe(viaSdk.images?.[0]?.imageManifest);
  });

  it("lambda get-alias and get-function-configuration", async () => {
    const alias = parse(
      (await cli("lambda", "get-alias", "--function-name", FunctionName, "--name", "live")).stdout,
    );
    expect(alias).toEqual(
      JSON.parse(
        JSON.stringify(await clients.lambda.send(new GetAliasCommand({ FunctionName, Name: "live" }))),
        (key, value: unknown) => (key === "$metadata" ? undefined : value),
      ),
    );
    const config = parse(
      (
        await cli(
          "lambda",
          "get-function-configuration",
          "--function-name",
          FunctionName,
          "--qualifier",
          "live",
        )
      ).stdout,
    );
    const sdkConfig = await clients.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName, Qualifier: "live" }),
    );
    expect(config).toMatchObject({
      Version: "1",
      CodeSha256: sdkConfig.CodeSha256,
      RevisionId: sdkConfig.RevisionId,
    });
  });

  it("lambda invoke through the alias", async () => {
    const outFile = join(scratch, "out.json");
    const result = await cli(
      "lambda",
      "invoke",
      "--function-name",
      FunctionName,
      "--qualifier",
      "live",
      "--cli-binary-format",
      "raw-in-base64-out",
      "--payload",
      '{"text":"from the cli"}',
      outFile,
    );
    expect(parse(result.stdout)).toMatchObject({ StatusCode: 200, ExecutedVersion: "1" });
    const answer = decode(await readFile(outFile));
    expect(answer).toMatchObject({ marker: "cli-a", event: { text: "from the cli" } });
  });

  it.each([
    [["lambda", "get-function", "--function-name", "missing"], "ResourceNotFoundException"],
    [["lambda", "get-alias", "--function-name", FunctionName, "--name", "nope"], "ResourceNotFoundException"],
    [["ecr", "describe-images", "--repository-name", "no-such-repo"], "RepositoryNotFoundException"],
  ])("reports %j as %s", async (args, errorName) => {
    const result = await cli(...args);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`(${errorName})`);
  });
});
