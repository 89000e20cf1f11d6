import { AwsError, invalidParameter } from "../aws-error.js";

export interface ImageIdentifier {
  imageDigest?: string;
  imageTag?: string;
}

const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

export function optionalString(input: Record<string, unknown>, key: string): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalidParameter(`Invalid parameter at '${key}': expected a string`);
  return value;
}

export function requiredString(input: Record<string, unknown>, key: string): string {
  const value = optionalString(input, key);
  if (value === undefined || value === "") {
    throw new AwsError(
      "ValidationException",
      `1 validation error detected: Value null at '${key}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

export function repositoryName(input: Record<string, unknown>): string {
  const name = requiredString(input, "repositoryName");
  if (name.length < 2 || name.length > 256 || !REPOSITORY_NAME.test(name)) {
    throw new AwsError(
      "ValidationException",
      `1 validation error detected: Value '${name}' at 'repositoryName' failed to satisfy constraint: ` +
        `Member must satisfy regular expression pattern: ${REPOSITORY_NAME.source}`,
    );
  }
  return name;
}

export function imageIds(input: Record<string, unknown>, required: boolean): ImageIdentifier[] | undefined {
  const value = input.imageIds;
  if (value === undefined || value === null) {
    if (required)
      throw invalidParameter(
        "Invalid parameter at 'imageIds' failed to satisfy constraint: 'Member must not be null'",
      );
    return undefined;
  }
  if (!Array.isArray(value)) throw invalidParameter("Invalid parameter at 'imageIds': expected a list");
  return value.map((item: unknown) => imageIdentifier(item));
}

function imageIdentifier(item: unknown): ImageIdentifier {
  if (typeof item !== "object" || item === null)
    throw invalidParameter("Invalid parameter at 'imageIds': expected objects");
  const record = item as Record<string, unknown>;
  const imageDigest = optionalString(record, "imageDigest");
  const imageTag = optionalString(record, "imageTag");
  if (imageDigest === undefined && imageTag === undefined) {
    throw invalidParameter(
      "Invalid parameter at 'imageIds': an image identifier needs an imageDigest or an imageTag",
    );
  }
  if (imageDigest !== undefined && !DIGEST.test(imageDigest)) {
    throw invalidParameter(
      `Invalid parameter at 'imageDigest' failed to satisfy constraint: 'Invalid image digest ${imageDigest}'`,
    );
  }
  if (imageTag !== undefined && (imageTag.length === 0 || imageTag.length > 300)) {
    throw invalidParameter(
      "Invalid parameter at 'imageTag' failed to satisfy constraint: 'Length must be 1 to 300'",
    );
  }
  return { imageDigest, imageTag };
}

export function describeImageId(id: ImageIdentifier): string {
  return `{imageDigest:'${id.imageDigest ?? "null"}', imageTag:'${id.imageTag ?? "null"}'}`;
}

/** Offset-based pagination with an opaque token, as the services do it (tokens are not meant to be read). */
export function paginate<T>(
  items: T[],
  input: Record<string, unknown>,
  maxDefault: number,
  tokenKey = "nextToken",
  maxKey = "maxResults",
): { page: T[]; next: string | undefined } {
  const token = input[tokenKey];
  const start = typeof token === "string" && token !== "" ? decodeToken(token) : 0;
  const max = typeof input[maxKey] === "number" && input[maxKey] > 0 ? input[maxKey] : maxDefault;
  const page = items.slice(start, start + max);
  const next = start + max < items.length ? Buffer.from(String(start + max)).toString("base64") : undefined;
  return { page, next };
}

function decodeToken(token: string): number {
  const offset = Number(Buffer.from(token, "base64").toString("utf8"));
  if (!Number.isInteger(offset) || offset < 0)
    throw invalidParameter("Invalid parameter at 'nextToken': invalid token");
  return offset;
}
