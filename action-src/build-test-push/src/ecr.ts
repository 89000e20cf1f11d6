import {
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  type ECRClient,
  GetAuthorizationTokenCommand,
} from "@aws-sdk/client-ecr";
import { awsErrorName } from "@textcat/action-shared/aws";
import { ActionError } from "@textcat/action-shared/errors";
import { errorMessage } from "@textcat/kit/errors";

export interface EcrImage {
  digest: string;
  manifestMediaType?: string;
}

export async function repositoryUri(
  client: ECRClient,
  repositoryName: string,
  region: string,
): Promise<string> {
  try {
    const result = await client.send(new DescribeRepositoriesCommand({ repositoryNames: [repositoryName] }));
    const uri = result.repositories?.[0]?.repositoryUri;
    if (!uri) throw new ActionError(`ECR did not return a URI for repository "${repositoryName}"`);
    return uri;
  } catch (error) {
    if (awsErrorName(error) === "RepositoryNotFoundException") {
      throw new ActionError(`ECR repository "${repositoryName}" does not exist in ${region}`);
    }
    if (error instanceof ActionError) throw error;
    throw new ActionError(`ECR DescribeRepositories failed: ${errorMessage(error)}`);
  }
}

/** The image that carries the tag, or undefined when no image has it. */
export async function findImageByTag(
  client: ECRClient,
  repositoryName: string,
  tag: string,
): Promise<EcrImage | undefined> {
  try {
    const result = await client.send(
      new DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag: tag }] }),
    );
    const detail = result.imageDetails?.[0];
    if (!detail?.imageDigest) return undefined;
    return { digest: detail.imageDigest, manifestMediaType: detail.imageManifestMediaType };
  } catch (error) {
    if (awsErrorName(error) === "ImageNotFoundException") return undefined;
    throw error;
  }
}

export interface DockerLogin {
  registry: string;
  /** The raw (base64) token, to be masked like the password. */
  token: string;
  username: string;
  password: string;
}

export async function dockerLogin(client: ECRClient): Promise<DockerLogin> {
  const result = await client.send(new GetAuthorizationTokenCommand({}));
  const data = result.authorizationData?.[0];
  if (!data?.authorizationToken || !data.proxyEndpoint) {
    throw new ActionError("ECR GetAuthorizationToken returned no token");
  }
  const decoded = Buffer.from(data.authorizationToken, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 1)
    throw new ActionError("ECR GetAuthorizationToken returned a token that is not user:password");
  return {
    registry: data.proxyEndpoint,
    token: data.authorizationToken,
    username: decoded.slice(0, colon),
    password: decoded.slice(colon + 1),
  };
}

/** Manifest types Lambda refuses: it needs a single-platform image manifest. */
const INDEX_MEDIA_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
];

export function isMultiPlatformIndex(mediaType: string | undefined): boolean {
  return mediaType !== undefined && INDEX_MEDIA_TYPES.includes(mediaType);
}
