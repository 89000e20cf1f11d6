/** Turns the image input into `repo@sha256:…`, asking ECR where the input alone does not say. */
import { DescribeImagesCommand, DescribeRepositoriesCommand, type ECRClient } from "@aws-sdk/client-ecr";
import { awsErrorName } from "@textcat/action-shared/aws";
import { ActionError } from "@textcat/action-shared/errors";
import type { PinnedImage } from "./image-ref.js";
import { repositoryOfImageUri } from "./image-ref.js";
import type { ImageSource } from "./inputs.js";

async function repositoryUri(ecr: ECRClient, repositoryName: string): Promise<string> {
  try {
    const found = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [repositoryName] }));
    const uri = found.repositories?.[0]?.repositoryUri;
    if (!uri) throw new ActionError(`ECR repository "${repositoryName}" has no URI`);
    return uri;
  } catch (error) {
    if (awsErrorName(error) === "RepositoryNotFoundException") {
      throw new ActionError(
        `ECR repository "${repositoryName}" does not exist (check ecr-repository and aws-region)`,
      );
    }
    throw error;
  }
}

/** The digest ECR holds under the content-key tag: build-test-push tags an image only after its tests passed. */
async function digestForTag(ecr: ECRClient, repositoryName: string, tag: string): Promise<string> {
  try {
    const found = await ecr.send(
      new DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag: tag }] }),
    );
    const digest = found.imageDetails?.[0]?.imageDigest;
    if (!digest) throw new ActionError(`ECR returned no digest for tag "${tag}"`);
    return digest;
  } catch (error) {
    if (awsErrorName(error) === "ImageNotFoundException") {
      throw new ActionError(
        `no tested image for this content in "${repositoryName}" (tag "${tag}" not found): run build-test-push first`,
      );
    }
    if (awsErrorName(error) === "RepositoryNotFoundException") {
      throw new ActionError(
        `ECR repository "${repositoryName}" does not exist (check ecr-repository and aws-region)`,
      );
    }
    throw error;
  }
}

/**
 * `currentImageUri` is what the function runs now: a bare digest without `ecr-repository` is taken
 * to live in the same repository.
 */
export async function resolveImage(
  ecr: ECRClient,
  source: ImageSource,
  ecrRepository: string,
  currentImageUri: string,
): Promise<PinnedImage> {
  if (source.kind === "image-uri") return source.image;
  if (source.kind === "digest") {
    if (ecrRepository)
      return { repositoryUri: await repositoryUri(ecr, ecrRepository), digest: source.digest };
    const sameRepository = repositoryOfImageUri(currentImageUri);
    if (!sameRepository) {
      throw new ActionError(`the function runs no container image; give "image-uri" or "ecr-repository"`);
    }
    return { repositoryUri: sameRepository, digest: source.digest };
  }
  const [uri, digest] = await Promise.all([
    repositoryUri(ecr, ecrRepository),
    digestForTag(ecr, ecrRepository, source.tag),
  ]);
  return { repositoryUri: uri, digest };
}
