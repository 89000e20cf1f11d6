import { createHash } from "node:crypto";
import { AwsError } from "./aws-error.js";

/** Manifest media types the stand-in asks the registry for (schema 1 is long gone from ECR). */
export const MANIFEST_MEDIA_TYPES = [
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.index.v1+json",
];
export const INDEX_MEDIA_TYPES = new Set([
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.index.v1+json",
]);

export interface StoredManifest {
  digest: string;
  mediaType: string;
  body: string;
}

export const sha256Digest = (body: string | Buffer): string =>
  `sha256:${createHash("sha256").update(body).digest("hex")}`;

/** The few OCI distribution API calls ECR's answers are derived from. */
export class RegistryClient {
  readonly host: string;

  constructor(readonly baseUrl: string) {
    this.host = new URL(baseUrl).host;
  }

  async repositories(): Promise<string[]> {
    const response = await this.request("GET", "/v2/_catalog?n=10000");
    const body = (await response.json()) as { repositories?: string[] };
    return body.repositories ?? [];
  }

  /** Tags of a repository, or undefined when the registry has never seen it. */
  async tags(repository: string): Promise<string[] | undefined> {
    const response = await this.request("GET", `/v2/${repository}/tags/list`, {}, [404]);
    if (response.status === 404) return undefined;
    const body = (await response.json()) as { tags?: string[] | null };
    return body.tags ?? [];
  }

  async manifest(repository: string, reference: string): Promise<StoredManifest | undefined> {
    const response = await this.request(
      "GET",
      `/v2/${repository}/manifests/${reference}`,
      { accept: MANIFEST_MEDIA_TYPES.join(", ") },
      [404],
    );
    if (response.status === 404) return undefined;
    const body = Buffer.from(await response.arrayBuffer());
    const digest = sha256Digest(body);
    const reported = response.headers.get("docker-content-digest");
    if (reported && reported !== digest) {
      throw new AwsError(
        "ServerException",
        `Registry digest ${reported} does not match its manifest (${digest})`,
        500,
      );
    }
    const mediaType = response.headers.get("content-type") ?? mediaTypeOf(body.toString("utf8"));
    return { digest, mediaType, body: body.toString("utf8") };
  }

  /** Stores a manifest under a tag or digest; answers the registry's error text on rejection. */
  async putManifest(repository: string, reference: string, body: string, mediaType: string): Promise<string> {
    const response = await this.request(
      "PUT",
      `/v2/${repository}/manifests/${reference}`,
      { "content-type": mediaType },
      [400, 404],
      body,
    );
    if (response.status !== 201) {
      throw new RegistryRejection(response.status, await response.text());
    }
    return response.headers.get("docker-content-digest") ?? sha256Digest(body);
  }

  async deleteManifest(repository: string, digest: string): Promise<void> {
    await this.request("DELETE", `/v2/${repository}/manifests/${digest}`, {}, [404]);
  }

  private async request(
    method: string,
    path: string,
    headers: Record<string, string> = {},
    allowed: number[] = [],
    body?: string,
  ): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), { method, headers, body });
    } catch (error) {
      throw new AwsError(
        "ServerException",
        `Registry ${this.baseUrl} is not reachable: ${String(error)}`,
        500,
      );
    }
    if (!response.ok && !allowed.includes(response.status)) {
      const text = await response.text();
      throw new AwsError(
        "ServerException",
        `Registry answered ${response.status} to ${method} ${path}: ${text}`,
        500,
      );
    }
    return response;
  }
}

export class RegistryRejection extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`registry rejected the manifest (${status}): ${body}`);
  }
}

export function mediaTypeOf(manifest: string): string {
  try {
    const parsed = JSON.parse(manifest) as { mediaType?: unknown };
    if (typeof parsed.mediaType === "string") return parsed.mediaType;
  } catch {
    // not JSON: the caller reports it
  }
  return "application/vnd.oci.image.manifest.v1+json";
}

/** Compressed size ECR reports: config plus layers (for an index, the sum of its manifests). */
export function imageSize(manifest: string): number {
  const parsed = JSON.parse(manifest) as {
    config?: { size?: number };
    layers?: { size?: number }[];
    manifests?: { size?: number }[];
  };
  const parts = [parsed.config, ...(parsed.layers ?? []), ...(parsed.manifests ?? [])];
  return parts.reduce((total, part) => total + (part?.size ?? 0), 0);
}
