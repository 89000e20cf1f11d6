import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  ECRClient,
  PutImageCommand,
  type BatchGetImageCommandOutput,
} from "@aws-sdk/client-ecr";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, test } from "vitest";
import { fakeClock } from "@textcat/action-shared/clock";
import { awsError, digestOf, NEW_DIGEST, REPO } from "@textcat/action-shared/testing/fake-lambda";
import { deployedTag, ecrLocation, tagImageDeployed } from "../src/protect-image.js";

const ecr = mockClient(ECRClient);
const client = new ECRClient({ region: "eu-west-1" });
const TAG = `deployed-${"b".repeat(64)}`;
const MANIFEST = JSON.stringify({ schemaVersion: 2, layers: [{ digest: digestOf("c") }] });
const OCI_MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
const image = { repositoryUri: REPO, digest: NEW_DIGEST };

function holdsManifest(): Partial<BatchGetImageCommandOutput> {
  return {
    images: [
      {
        imageId: { imageDigest: NEW_DIGEST },
        imageManifest: MANIFEST,
        imageManifestMediaType: OCI_MANIFEST_TYPE,
      },
    ],
    failures: [],
  };
}

function tag(options: { retries?: number } = {}) {
  const clock = fakeClock();
  return { clock, result: tagImageDeployed(client, image, { sleep: clock.sleep, ...options }) };
}

beforeEach(() => {
  ecr.reset();
  ecr.on(BatchGetImageCommand).resolves(holdsManifest());
  ecr.on(PutImageCommand).resolves({});
});

describe("deployedTag and ecrLocation", () => {
  test("the tag is the whole digest hex and fits ECR's 128 characters", () => {
    expect(deployedTag(NEW_DIGEST)).toBe(TAG);
    expect(deployedTag(NEW_DIGEST)).toHaveLength(73);
  });

  test.each([
    [REPO, { repositoryName: "textcat", registryId: "123456789012" }],
    [
      "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/team/textcat",
      { repositoryName: "team/textcat", registryId: "123456789012" },
    ],
    ["127.0.0.1:5000/textcat", { repositoryName: "textcat", registryId: undefined }],
  ])("%s", (uri, expected) => {
    expect(ecrLocation(uri)).toEqual(expected);
  });

  test.each(["textcat", "/textcat", "registry.example/"])("refuses %s", (uri) => {
    expect(() => ecrLocation(uri)).toThrow(/cannot tell the ECR repository/);
  });
});

describe("tagImageDeployed", () => {
  test("re-puts the manifest read by digest under the deployed tag", async () => {
    await expect(tag().result).resolves.toBe("tagged");
    expect(ecr.commandCalls(BatchGetImageCommand)[0]?.args[0].input).toEqual({
      registryId: "123456789012",
      repositoryName: "textcat",
      imageIds: [{ imageDigest: NEW_DIGEST }],
      acceptedMediaTypes: [
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
      ],
    });
    expect(ecr.commandCalls(PutImageCommand)[0]?.args[0].input).toEqual({
      registryId: "123456789012",
      repositoryName: "textcat",
      imageManifest: MANIFEST,
      imageManifestMediaType: OCI_MANIFEST_TYPE,
      imageDigest: NEW_DIGEST,
      imageTag: TAG,
    });
  });

  test("an image that already carries the tag is success (idempotent)", async () => {
    ecr.on(PutImageCommand).rejects(awsError("ImageAlreadyExistsException"));
    await expect(tag().result).resolves.toBe("already-tagged");
  });

  test("an immutable repository refusing the same tag on the same digest is success", async () => {
    ecr.on(PutImageCommand).rejects(awsError("ImageTagAlreadyExistsException"));
    ecr
      .on(DescribeImagesCommand, { imageIds: [{ imageTag: TAG }] })
      .resolves({ imageDetails: [{ imageDigest: NEW_DIGEST }] });
    await expect(tag().result).resolves.toBe("already-tagged");
  });

  test("the tag on another digest is an error", async () => {
    ecr.on(PutImageCommand).rejects(awsError("ImageTagAlreadyExistsException"));
    ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: digestOf("e") }] });
    await expect(tag().result).rejects.toThrow(`the tag is already on ${digestOf("e")}`);
  });

  test("retries throttling with backoff, on both calls", async () => {
    ecr
      .on(BatchGetImageCommand)
      .rejectsOnce(awsError("ThrottlingException", "Rate exceeded"))
      .resolves(holdsManifest());
    ecr
      .on(PutImageCommand)
      .rejectsOnce(Object.assign(awsError("SlowDown"), { $retryable: { throttling: true } }))
      .rejectsOnce(awsError("ThrottlingException"))
      .resolves({});
    const { clock, result } = tag();
    await expect(result).resolves.toBe("tagged");
    expect(clock.sleeps).toEqual([500, 500, 1000]);
    expect(ecr.commandCalls(PutImageCommand)).toHaveLength(3);
  });

  test("gives up after the retries, naming the image", async () => {
    ecr.on(PutImageCommand).rejects(awsError("ThrottlingException", "Rate exceeded"));
    const { clock, result } = tag({ retries: 2 });
    await expect(result).rejects.toThrow(
      `cannot tag ${NEW_DIGEST} in ECR repository "textcat" "${TAG}" (ThrottlingException): Rate exceeded`,
    );
    expect(clock.sleeps).toEqual([500, 1000]);
  });

  test("other errors fail at once", async () => {
    ecr
      .on(PutImageCommand)
      .rejects(awsError("AccessDeniedException", "not authorized to perform: ecr:PutImage"));
    const { clock, result } = tag();
    await expect(result).rejects.toThrow(
      /\(AccessDeniedException\): not authorized to perform: ecr:PutImage/,
    );
    expect(ecr.commandCalls(PutImageCommand)).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  test.each([
    [
      "a digest ECR does not hold",
      {
        images: [],
        failures: [{ failureCode: "ImageNotFound" as const, failureReason: "Requested image not found" }],
      },
      /not deployable from ECR repository "textcat" \(ImageNotFound: Requested image not found\)/,
    ],
    ["an empty answer", {}, /not deployable from ECR repository "textcat" \(no manifest\)/],
  ])("%s is an error and nothing is put", async (_name, answer, message) => {
    ecr.on(BatchGetImageCommand).resolves(answer);
    await expect(tag().result).rejects.toThrow(message);
    expect(ecr.commandCalls(PutImageCommand)).toEqual([]);
  });
});
