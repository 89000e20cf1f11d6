import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  ListImagesCommand,
  PutImageCommand,
} from "@aws-sdk/client-ecr";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalAws, type LocalAws } from "../src/index.js";
import { clientsFor, failure } from "./clients.js";
import { FIXTURE_REPOSITORY, fixtureImage, type FixtureImage } from "./fixture-image.js";

let aws: LocalAws;
let ecr: ReturnType<typeof clientsFor>["ecr"];
let first: FixtureImage;
let second: FixtureImage;
const repositoryName = FIXTURE_REPOSITORY;

beforeAll(async () => {
  first = await fixtureImage("ecr-a");
  second = await fixtureImage("ecr-b");
  aws = await startLocalAws();
  ecr = clientsFor(aws.endpoint).ecr;
});
afterAll(async () => aws?.close());

describe("ECR over the real registry", () => {
  it("describes the repository with its registry URI", async () => {
    const { repositories } = await ecr.send(
      new DescribeRepositoriesCommand({ repositoryNames: [repositoryName] }),
    );
    expect(repositories?.[0]?.repositoryUri).toBe(`127.0.0.1:5000/${repositoryName}`);
  });

  it("reports the digest the registry holds for a tag, and the size of its layers", async () => {
    const { imageDetails } = await ecr.send(
      new DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag: first.tag }] }),
    );
    expect(imageDetails?.[0]?.imageDigest).toBe(first.digest);
    expect(imageDetails?.[0]?.imageTags).toContain(first.tag);
    expect(imageDetails?.[0]?.imageSizeInBytes).toBeGreaterThan(10_000_000);
    expect(imageDetails?.[0]?.imagePushedAt).toBeInstanceOf(Date);
  });

  it("lists every tagged image", async () => {
    const { imageIds } = await ecr.send(new ListImagesCommand({ repositoryName }));
    expect(imageIds).toContainEqual({ imageDigest: second.digest, imageTag: second.tag });
  });

  it("answers the manifest whose sha256 is the digest", async () => {
    const { images, failures } = await ecr.send(
      new BatchGetImageCommand({
        repositoryName,
        imageIds: [{ imageDigest: first.digest }, { imageTag: "no-such-tag" }],
      }),
    );
    const manifest = images?.[0]?.imageManifest ?? "";
    expect(`sha256:${createHash("sha256").update(manifest).digest("hex")}`).toBe(first.digest);
    expect(images?.[0]?.imageManifestMediaType).toBe("application/vnd.docker.distribution.manifest.v2+json");
    expect(failures?.[0]?.failureCode).toBe("ImageNotFound");
  });

  it("tags an existing manifest with PutImage, refuses a duplicate, and deletes only that tag", async () => {
    const tag = `extra-${Date.now()}`;
    const { images } = await ecr.send(
      new BatchGetImageCommand({ repositoryName, imageIds: [{ imageDigest: first.digest }] }),
    );
    const manifest = images?.[0]?.imageManifest ?? "";
    const put = await ecr.send(
      new PutImageCommand({ repositoryName, imageManifest: manifest, imageTag: tag }),
    );
    expect(put.image?.imageId?.imageDigest).toBe(first.digest);

    const again = await failure(
      ecr.send(new PutImageCommand({ repositoryName, imageManifest: manifest, imageTag: tag })),
    );
    expect(again).toMatchObject({ name: "ImageAlreadyExistsException", status: 400 });

    const deleted = await ecr.send(
      new BatchDeleteImageCommand({ repositoryName, imageIds: [{ imageTag: tag }] }),
    );
    expect(deleted.imageIds?.[0]?.imageDigest).toBe(first.digest);
    const gone = await failure(
      ecr.send(new DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag: tag }] })),
    );
    expect(gone.name).toBe("ImageNotFoundException");
    const survivor = await ecr.send(
      new DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag: first.tag }] }),
    );
    expect(survivor.imageDetails?.[0]?.imageDigest).toBe(first.digest);
  });

  it("rejects a manifest whose digest is not the one claimed", async () => {
    const { images } = await ecr.send(
      new BatchGetImageCommand({ repositoryName, imageIds: [{ imageDigest: first.digest }] }),
    );
    const error = await failure(
      ecr.send(
        new PutImageCommand({
          repositoryName,
          imageManifest: images?.[0]?.imageManifest ?? "",
          imageDigest: second.digest,
          imageTag: "mismatch",
        }),
      ),
    );
    expect(error.name).toBe("ImageDigestDoesNotMatchException");
  });

  it.each([
    [
      "an unknown tag",
      { repositoryName, imageIds: [{ imageTag: "never-pushed" }] },
      "ImageNotFoundException",
    ],
    ["an unknown repository", { repositoryName: "no-such/repository" }, "RepositoryNotFoundException"],
    ["an invalid repository name", { repositoryName: "Upper Case!" }, "ValidationException"],
    [
      "a malformed digest",
      { repositoryName, imageIds: [{ imageDigest: "sha256:xyz" }] },
      "InvalidParameterException",
    ],
  ])("answers %s with the AWS error shape", async (_case, input, expected) => {
    const error = await failure(ecr.send(new DescribeImagesCommand(input)));
    expect(error).toMatchObject({ name: expected, status: 400 });
  });

  it("creates repositories once", async () => {
    const name = `local-aws-test/created-${Date.now()}`;
    const created = await ecr.send(new CreateRepositoryCommand({ repositoryName: name }));
    expect(created.repository?.repositoryUri).toBe(`127.0.0.1:5000/${name}`);
    const duplicate = await failure(ecr.send(new CreateRepositoryCommand({ repositoryName: name })));
    expect(duplicate.name).toBe("RepositoryAlreadyExistsException");
    const { imageDetails } = await ecr.send(new DescribeImagesCommand({ repositoryName: name }));
    expect(imageDetails).toEqual([]);
  });

  it("hands out a docker login token for the registry", async () => {
    const { authorizationData } = await ecr.send(new GetAuthorizationTokenCommand({}));
    const token = Buffer.from(authorizationData?.[0]?.authorizationToken ?? "", "base64").toString("utf8");
    expect(token).toMatch(/^AWS:.+/);
    expect(authorizationData?.[0]?.proxyEndpoint).toBe("http://127.0.0.1:5000");
  });

  it("refuses unsigned requests", async () => {
    const response = await fetch(aws.endpoint, {
      method: "POST",
      headers: { "x-amz-target": "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories" },
      body: "{}",
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ __type: "MissingAuthenticationTokenException" });
  });
});
