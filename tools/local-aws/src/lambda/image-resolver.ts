import { INDEX_MEDIA_TYPES, imageSize, RegistryClient } from "../registry-client.js";
import { invalidValue } from "./lambda-errors.js";

export interface ResolvedImage {
  imageUri: string;
  resolvedImageUri: string;
  digest: string;
  size: number;
}

/**
 * Resolves an ImageUri (repo:tag or repo@sha256:…) against the registry, the way Lambda resolves it
 * against ECR when the code is set: the function then runs that digest, whatever the tag does later.
 */
export async function resolveImage(registry: RegistryClient, imageUri: unknown): Promise<ResolvedImage> {
  if (typeof imageUri !== "string" || imageUri === "") {
    throw invalidValue("Code.ImageUri is required for functions with PackageType Image.");
  }
  const invalid = invalidValue(`Source image ${imageUri} is not valid. Provide a valid source image.`);
  const prefix = `${registry.host}/`;
  if (!imageUri.startsWith(prefix)) throw invalid;
  const rest = imageUri.slice(prefix.length);
  const match = /^([a-z0-9][a-z0-9._/-]*?)(?:@(sha256:[a-f0-9]{64})|:([\w][\w.-]{0,127}))$/.exec(rest);
  if (!match) throw invalid;
  const [, repository = "", digest, tag] = match;
  const manifest = await registry.manifest(repository, digest ?? tag ?? "latest");
  if (!manifest) throw invalidValue(`Source image ${imageUri} does not exist. Provide a valid source image.`);
  if (INDEX_MEDIA_TYPES.has(manifest.mediaType)) {
    throw invalidValue(
      `The image manifest, config or layer media type for the source image ${imageUri} is not supported.`,
    );
  }
  return {
    imageUri,
    resolvedImageUri: `${prefix}${repository}@${manifest.digest}`,
    digest: manifest.digest,
    size: imageSize(manifest.body),
  };
}
