/** CORS: which origins may call the service from a browser, and the headers that tell the browser so. */

export interface CorsPolicy {
  /** Exact origins (`https://app.example.com`), or `*` for any origin. Empty: no CORS headers. */
  allowedOrigins: string[];
  maxAgeSeconds: number;
}

export function parseAllowedOrigins(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(",")
    .map((origin) => origin.trim().replace(/\/+$/, ""))
    .filter((origin) => origin !== "");
}

function allowOriginValue(policy: CorsPolicy, origin: string | undefined): string | undefined {
  if (policy.allowedOrigins.includes("*")) return "*";
  if (origin === undefined) return undefined;
  return policy.allowedOrigins.includes(origin) ? origin : undefined;
}

/** Headers for an ordinary (non-preflight) response. */
export function corsHeaders(policy: CorsPolicy, origin: string | undefined): Record<string, string> {
  if (policy.allowedOrigins.length === 0) return {};
  const allowOrigin = allowOriginValue(policy, origin);
  const headers: Record<string, string> = { vary: "Origin" };
  if (allowOrigin === undefined) return headers;
  return {
    ...headers,
    "access-control-allow-origin": allowOrigin,
    "access-control-expose-headers": "x-request-id",
  };
}

/** Headers for the answer to an `OPTIONS` preflight; a disallowed origin gets no allow headers. */
export function preflightHeaders(
  policy: CorsPolicy,
  origin: string | undefined,
  allowedMethods: string[],
): Record<string, string> {
  const headers = corsHeaders(policy, origin);
  if (headers["access-control-allow-origin"] === undefined)
    return { ...headers, allow: allowedMethods.join(", ") };
  return {
    ...headers,
    allow: allowedMethods.join(", "),
    "access-control-allow-methods": allowedMethods.join(", "),
    "access-control-allow-headers": "content-type, authorization, x-api-key",
    "access-control-max-age": String(policy.maxAgeSeconds),
  };
}
