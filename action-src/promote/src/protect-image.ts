/**
 * Tags the image promote deploys `deployed-<digest hex>`. The ECR lifecycle policy (service/infra)
 * keeps `deployed-*` images forever and expires the rest, and a Lambda version whose image is gone
 * cannot start: so the tag goes on before Lambda ever points at the digest.
 */
import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  PutImageCommand,
  type ECRClient,
} from "@aws-sdk/client-ecr";
import { awsErrorName } from "@textcat/action-shared/aws";
import { ActionError } from "@textcat/action-shared/errors";
import { errorMessage } from "@textcat/kit/errors";
import { retryAndBackoff } from "@textcat/kit/retry";
import type { PinnedImage } from "./image-ref.js";

export const DEPLOYED_TAG_PREFIX = "deployed-";

/** Single-platform manifests only: Lambda refuses an index, so one is never asked for. */
export const DEPLOYABLE_MANIFEST_TYPES = [
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
];

/** `deployed-<64 hex>` (73 characters; ECR allows 128): derived from the digest, so tagging is idempotent. */
export function deployedTag(digest: string): string {
  return `${DEPLOYED_TAG_PREFIX}${digest.replace(/^sha256:/, "")}`;
}

export interface EcrLocation {
  repositoryName: string;
  /** The AWS account of an ECR registry host; undefined for other hosts (the caller's registry). */
  registryId: string | undefined;
}

const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$/;

/** `<account>.dkr.ecr.<region>.amazonaws.com/<name>` → name and account; a registry port stays in the host. */
export function ecrLocation(repositoryUri: string): EcrLocation {
  const slash = repositoryUri.indexOf("/");
  const host = slash > 0 ? repositoryUri.slice(0, slash) : "";
  const repositoryName = slash > 0 ? repositoryUri.slice(slash + 1) : "";
  if (!host || !repositoryName) {
    throw new ActionError(
      `cannot tell the ECR repository of "${repositoryUri}" (expected <registry>/<name>)`,
    );
  }
  return { repositoryName, registryId: ECR_HOST.exec(host)?.[1] };
}

const THROTTLING_ERRORS = ["ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded"];

function isThrottling(error: unknown): boolean {
  const retryable = (error as { $retryable?: { throttling?: boolean } } | undefined)?.$retryable;
  return THROTTLING_ERRORS.includes(awsErrorName(error)) || retryable?.throttling === true;
}

export interface TagOptions {
  sleep: (ms: number) => Promise<void>;
  retries?: number;
}

/** `"tagged"` when the tag was added, `"already-tagged"` when the image carried it before. */
export type TagOutcome = "tagged" | "already-tagged";

export async function tagImageDeployed(
  ecr: ECRClient,
  image: PinnedImage,
  options: TagOptions,
): Promise<TagOutcome> {
  const { repositoryName, registryId } = ecrLocation(image.repositoryUri);
  const tag = deployedTag(image.digest);
  const withRetry = <T>(call: () => Promise<T>) =>
    retryAndBackoff(call, {
      attempts: (options.retries ?? 5) + 1,
      baseDelayMs: 500,
      sleep: options.sleep,
      isRetryable: isThrottling,
    });
  const where = `${image.digest} in ECR repository "${repositoryName}"`;
  try {
    const manifest = await withRetry(() => readManifest(ecr, { repositoryName, registryId }, image.digest));
    await withRetry(() =>
      ecr.send(
        new PutImageCommand({
          registryId,
          repositoryName,
          imageManifest: manifest.body,
          imageManifestMediaType: manifest.mediaType,
          imageDigest: image.digest,
          imageTag: tag,
        }),
      ),
    );
    return "tagged";
  } catch (error) {
    const name = awsErrorName(error);
    if (name === "ImageAlreadyExistsException") return "already-tagged";
    // An immutable repository may refuse even a re-tag of the same digest this way: check where it points.
    if (name === "ImageTagAlreadyExistsException") {
      const holder = await withRetry(() => digestOfTag(ecr, { repositoryName, registryId }, tag)).catch(
        (describeError: unknown) => {
          throw new ActionError(`cannot check where tag "${tag}" points: ${errorMessage(describeError)}`);
        },
      );
      if (holder === image.digest) return "already-tagged";
      throw new ActionError(
        `cannot tag ${where} "${tag}": the tag is already on ${holder || "another image"}`,
      );
    }
    if (error instanceof ActionError) throw error;
    throw new ActionError(`cannot tag ${where} "${tag}" (${name || "error"}): ${errorMessage(error)}`);
  }
}

async function readManifest(
  ecr: ECRClient,
  location: EcrLocation,
  digest: string,
): Promise<{ body: string; mediaType: string | undefined }> {
  const found = await ecr.send(
    new BatchGetImageCommand({
      ...location,
      imageIds: [{ imageDigest: digest }],
      acceptedMediaTypes: DEPLOYABLE_MANIFEST_TYPES,
    }),
  );
  const image = found.images?.find((candidate) => candidate.imageId?.imageDigest === digest);
  if (image?.imageManifest) return { body: image.imageManifest, mediaType: image.imageManifestMediaType };
  const failure = found.failures?.[0];
  const reason = failure
    ? `${failure.failureCode ?? "failed"}: ${failure.failureReason ?? ""}`
    : "no manifest";
  throw new ActionError(
    `image ${digest} is not deployable from ECR repository "${location.repositoryName}" (${reason.trim()})`,
  );
}

async function digestOfTag(ecr: ECRClient, location: EcrLocation, tag: string): Promise<string> {
  const found = await ecr.send(new DescribeImagesCommand({ ...location, imageIds: [{ imageTag: tag }] }));
  return found.imageDetails?.[0]?.imageDigest ?? "";
}
