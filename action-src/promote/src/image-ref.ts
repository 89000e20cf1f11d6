/** Image references: `sha256:…` digests, `repo@sha256:…` URIs, and the content-key tag build-test-push writes. */
import { InputError } from "@textcat/action-shared/errors";

export const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;

export function parseDigest(value: string, inputName: string): string {
  if (!DIGEST_PATTERN.test(value)) {
    throw new InputError(`Input "${inputName}" must be an image digest sha256:<64 hex>, got "${value}"`);
  }
  return value;
}

export interface PinnedImage {
  repositoryUri: string;
  digest: string;
}

/** `registry/repo@sha256:…`; a tag instead of a digest is refused: only a pinned digest is deployable. */
export function parsePinnedImageUri(value: string, inputName: string): PinnedImage {
  const at = value.lastIndexOf("@");
  const repositoryUri = at > 0 ? value.slice(0, at) : "";
  const digest = at > 0 ? value.slice(at + 1) : "";
  if (!repositoryUri || !DIGEST_PATTERN.test(digest) || /\s/.test(repositoryUri)) {
    throw new InputError(`Input "${inputName}" must be <repository>@sha256:<64 hex>, got "${value}"`);
  }
  return { repositoryUri, digest };
}

/** The repository part of an image URI: without `@digest` and without `:tag` (a registry port stays). */
export function repositoryOfImageUri(imageUri: string): string {
  const withoutDigest = imageUri.split("@")[0] ?? "";
  const lastSlash = withoutDigest.lastIndexOf("/");
  const lastColon = withoutDigest.lastIndexOf(":");
  return lastColon > lastSlash ? withoutDigest.slice(0, lastColon) : withoutDigest;
}

export function pinnedImageUri(image: PinnedImage): string {
  return `${image.repositoryUri}@${image.digest}`;
}

const CONTENT_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,124}$/;
export const CONTENT_KEY_TAG_PREFIX = "ck-";

/** The ECR tag of a content key; a key given with its `ck-` prefix is accepted as is. */
export function contentKeyTag(value: string, inputName: string): string {
  const key = value.startsWith(CONTENT_KEY_TAG_PREFIX) ? value.slice(CONTENT_KEY_TAG_PREFIX.length) : value;
  if (!CONTENT_KEY_PATTERN.test(key)) {
    throw new InputError(`Input "${inputName}" must be letters, digits, "." "_" "-" (≤ 125), got "${value}"`);
  }
  return `${CONTENT_KEY_TAG_PREFIX}${key}`;
}
