/** The GITHUB_TOKENs the stand-in has handed out, each with the grants its job declared. */
import { randomBytes } from "node:crypto";
import { grantsFor, invalidPermissions, type Grants } from "./permissions.js";
import type { TokenRequest } from "./types.js";

export interface IssuedToken {
  grants: Grants;
  fork: boolean;
  jobName?: string;
}

export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();

  issue(request: TokenRequest): string {
    const invalid = invalidPermissions(request.permissions);
    if (invalid.length > 0) throw new Error(`not a GITHUB_TOKEN permission: ${invalid.join(", ")}`);
    // Installation tokens (which GITHUB_TOKEN is) start `ghs_`.
    const token = `ghs_${randomBytes(27).toString("base64url").slice(0, 36)}`;
    this.tokens.set(token, {
      grants: grantsFor(request.permissions, { fork: request.fork }),
      fork: request.fork ?? false,
      jobName: request.jobName,
    });
    return token;
  }

  lookup(token: string): IssuedToken | undefined {
    return this.tokens.get(token);
  }
}

/**
 * The token of an `Authorization` header: `token X` / `Bearer X` (REST, as Octokit sends it) or
 * HTTP Basic with the token as password (git over HTTPS: `x-access-token:<token>`).
 */
export function tokenFromAuthorization(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, value = ""] = header.trim().split(/\s+/, 2);
  switch (scheme?.toLowerCase()) {
    case "token":
    case "bearer":
      return value || undefined;
    case "basic": {
      const decoded = Buffer.from(value, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      return colon >= 0 ? decoded.slice(colon + 1) || undefined : undefined;
    }
    default:
      return undefined;
  }
}
