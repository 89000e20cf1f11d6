/**
 * The digest a tag points to now, read from the registry's HTTP API without pulling the image: one manifest
 * GET (a few KB), never a layer. `docker buildx imagetools inspect <ref>` prints the same "Digest:", but needs
 * buildx; this needs only fetch, so the workflow and the local test run the same code.
 */
import type { TaggedImage } from "./base-image-pin.js";
import { manifestDigest, taggedReference } from "./base-image-pin.js";

/** The registry could not tell the digest (unreachable, refused, inconsistent): not a problem with the pin. */
export class RegistryError extends Error {
  override name = "RegistryError";
}

/*
 * "GET /v2/<name>/manifests/<reference> ... The client SHOULD include an Accept header indicating which manifest
 * content types it supports" (OCI distribution spec, "Pulling manifests":
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests). A multi-platform tag
 * such as public.ecr.aws/lambda/nodejs:22 answers with its index, whose digest is what `FROM tag@digest` pins.
 */
export const MANIFEST_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
];

export type Fetch = (url: string, init?: { headers?: Record<string, string> }) => Promise<Response>;

/** Docker treats 127.0.0.0/8 (and localhost) as insecure registries; everything else is https. */
export function registryBaseUrl(registry: string): string {
  const host = registry.replace(/:\d+$/, "");
  const plain = host === "localhost" || /^127\.\d+\.\d+\.\d+$/.test(host);
  return `${plain ? "http" : "https"}://${registry}`;
}

/**
 * The manifest's digest is the SHA-256 of its bytes; the Docker-Content-Digest header is optional ("clients
 * SHOULD NOT depend on them", same spec), so it is only cross-checked when present.
 */
export async function resolveTagDigest(image: TaggedImage, fetchImpl: Fetch = fetch): Promise<string> {
  const url = `${registryBaseUrl(image.registry)}/v2/${image.repository}/manifests/${image.tag}`;
  const headers: Record<string, string> = { Accept: MANIFEST_TYPES.join(", ") };
  const where = taggedReference(image);
  let response = await get(fetchImpl, url, headers, where);
  if (response.status === 401) {
    headers.Authorization = `Bearer ${await anonymousToken(response, fetchImpl, where)}`;
    response = await get(fetchImpl, url, headers, where);
  }
  if (response.status !== 200) {
    throw new RegistryError(
      `${where}: the registry answered ${response.status} ${response.statusText} for its manifest`,
    );
  }
  const digest = manifestDigest(new Uint8Array(await response.arrayBuffer()));
  const announced = response.headers.get("docker-content-digest");
  if (announced && announced !== digest) {
    throw new RegistryError(`${where}: the registry says ${announced} but its manifest hashes to ${digest}`);
  }
  return digest;
}

async function get(
  fetchImpl: Fetch,
  url: string,
  headers: Record<string, string>,
  where: string,
): Promise<Response> {
  try {
    return await fetchImpl(url, { headers: { ...headers } });
  } catch (error) {
    throw new RegistryError(`${where}: cannot reach ${new URL(url).origin}`, { cause: error });
  }
}

/**
 * The registry token flow: a 401 carries `WWW-Authenticate: Bearer realm="…",service="…",scope="…"`; the client
 * asks the realm for a token and retries with it (https://distribution.github.io/distribution/spec/auth/token/).
 * public.ecr.aws grants anonymous pull tokens this way.
 */
async function anonymousToken(challenge: Response, fetchImpl: Fetch, where: string): Promise<string> {
  const params = parseBearerChallenge(challenge.headers.get("www-authenticate") ?? "");
  if (!params.realm)
    throw new RegistryError(`${where}: the registry wants credentials this tool does not have`);
  const url = new URL(params.realm);
  for (const key of ["service", "scope"]) if (params[key]) url.searchParams.set(key, params[key]);
  const response = await get(fetchImpl, url.toString(), {}, where);
  const body = response.ok ? ((await response.json().catch(() => ({}))) as Record<string, unknown>) : {};
  const token = body.token ?? body.access_token;
  if (typeof token !== "string" || token === "") {
    throw new RegistryError(`${where}: no anonymous token from ${url.origin} (${response.status})`);
  }
  return token;
}

export function parseBearerChallenge(header: string): Record<string, string> {
  if (!/^Bearer\s/i.test(header)) return {};
  const params: Record<string, string> = {};
  for (const match of header.slice(7).matchAll(/(\w+)="([^"]*)"/g)) params[match[1]!] = match[2]!;
  return params;
}
