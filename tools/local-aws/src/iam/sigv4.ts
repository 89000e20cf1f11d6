/**
 * Verifies an AWS Signature Version 4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html)
 * for a request whose secret the stand-in knows (a session STS handed out). Canonical path as the SDKs
 * compute it for every service but S3: normalized, then URI-encoded once more (@smithy/signature-v4
 * getCanonicalPath, uriEscapePath). Pure: the request's parts in, true or false out.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

export interface SignedRequest {
  method: string;
  /** The path as sent (still percent-encoded), without the query. */
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/;

/** RFC 3986 encoding as the SDKs use it (encodeURIComponent plus !'()*). */
const escapeUri = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);

const sha256 = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");
const hmac = (key: Buffer | string, data: string): Buffer => createHmac("sha256", key).update(data).digest();

function canonicalPath(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && rawPath.endsWith("/") ? "/" : "";
  return escapeUri(`/${segments.join("/")}${trailing}`).replace(/%2F/g, "/");
}

function canonicalQuery(query: URLSearchParams): string {
  return [...query.entries()]
    .filter(([key]) => key.toLowerCase() !== "x-amz-signature")
    .map(([key, value]) => `${escapeUri(key)}=${escapeUri(value)}`)
    .sort()
    .join("&");
}

export function verifySignature(request: SignedRequest, secretAccessKey: string): boolean {
  const match = AUTHORIZATION.exec(String(request.headers.authorization ?? "").trim());
  const amzDate = request.headers["x-amz-date"];
  if (!match || typeof amzDate !== "string") return false;
  const [, , date = "", region = "", service = "", signedHeaders = "", signature = ""] = match;
  if (!amzDate.startsWith(date)) return false;
  const names = signedHeaders.split(";");
  const headerLines = names.map((name) => {
    const value = request.headers[name];
    const text = Array.isArray(value) ? value.join(",") : (value ?? "");
    return `${name}:${text.trim().replace(/\s+/g, " ")}`;
  });
  // A declared payload hash must be the body's (only S3 may send UNSIGNED-PAYLOAD).
  const payloadHash = sha256(request.body);
  const declared = request.headers["x-amz-content-sha256"];
  if (declared !== undefined && declared !== payloadHash) return false;
  const canonicalRequest = [
    request.method,
    canonicalPath(request.rawPath),
    canonicalQuery(request.query),
    ...headerLines,
    "",
    signedHeaders,
    payloadHash,
  ].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), "aws4_request");
  const expected = hmac(key, stringToSign);
  return timingSafeEqual(expected, Buffer.from(signature, "hex"));
}
