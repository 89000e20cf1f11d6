/**
 * A local stand-in for GitHub's OIDC issuer: tokens shaped like the ones a job gets from
 * core.getIDToken(audience), signed RS256 with a key only this process holds, so the stand-in's STS
 * verifies a signature like AWS does against https://token.actions.githubusercontent.com/.well-known/jwks.
 * Claims: https://docs.github.com/en/actions/reference/security/oidc ("OIDC token claims").
 */
import { createSign, createVerify, generateKeyPairSync, type KeyObject } from "node:crypto";

export const GITHUB_ISSUER = "https://token.actions.githubusercontent.com";

export interface GithubRepository {
  owner: string;
  ownerId: string;
  name: string;
  id: string;
  /** Repositories created or renamed after the switch send ids in the subject. */
  immutableSubject?: boolean;
}

/** What GitHub knows about a job when it mints its token. */
export interface GithubJob {
  event: "pull_request" | "push" | "workflow_dispatch";
  ref: string;
  /** The job's `environment:`, if any. */
  environment?: string;
  /** The workflow file, e.g. .github/workflows/deploy.yml. */
  workflow: string;
  /** A pull_request from a fork: GitHub gives it no OIDC token. */
  fromFork?: boolean;
}

export type GithubClaims = Record<string, string | number>;

/**
 * The default subject (https://docs.github.com/en/actions/reference/security/oidc, "Example subject
 * claims"): `environment:<name>` when the job names an environment, else `pull_request` for PRs, else
 * `ref:<ref>`. Immutable subject claims append ids: "repo:octocat@123456/my-repo@456789:ref:refs/heads/main"
 * (https://github.com/github/docs/pull/45221, "Immutable subject claims").
 */
export function subjectClaim(repository: GithubRepository, job: GithubJob): string {
  const repo = repository.immutableSubject
    ? `${repository.owner}@${repository.ownerId}/${repository.name}@${repository.id}`
    : `${repository.owner}/${repository.name}`;
  const context = job.environment
    ? `environment:${job.environment}`
    : job.event === "pull_request"
      ? "pull_request"
      : `ref:${job.ref}`;
  return `repo:${repo}:${context}`;
}

/** The claims GitHub puts in a job's token, or undefined for a fork PR (no id-token for forks). */
export function githubClaims(
  repository: GithubRepository,
  job: GithubJob,
  audience: string,
  nowSeconds: number,
): GithubClaims | undefined {
  if (job.fromFork) return undefined;
  const full = `${repository.owner}/${repository.name}`;
  const claims: GithubClaims = {
    iss: GITHUB_ISSUER,
    aud: audience,
    sub: subjectClaim(repository, job),
    repository: full,
    repository_id: repository.id,
    repository_owner: repository.owner,
    repository_owner_id: repository.ownerId,
    ref: job.ref,
    event_name: job.event,
    job_workflow_ref: `${full}/${job.workflow}@${job.ref}`,
    jti: crypto.randomUUID(),
    iat: nowSeconds,
    nbf: nowSeconds,
    // GitHub's tokens live for minutes; configure-aws-credentials exchanges them at once.
    exp: nowSeconds + 300,
  };
  if (job.environment) claims.environment = job.environment;
  return claims;
}

const base64url = (data: Buffer | string): string => Buffer.from(data).toString("base64url");

/** Signs and checks tokens; the key pair lives only as long as this object. */
export class LocalGithubIssuer {
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  readonly kid = crypto.randomUUID();

  constructor() {
    const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  mint(claims: GithubClaims): string {
    const header = base64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid: this.kid }));
    const body = base64url(JSON.stringify(claims));
    const signature = createSign("RSA-SHA256").update(`${header}.${body}`).sign(this.privateKey);
    return `${header}.${body}.${base64url(signature)}`;
  }

  /** The token's claims if this issuer signed it; undefined for anything else. */
  verify(token: string): GithubClaims | undefined {
    const parts = token.split(".");
    if (parts.length !== 3) return undefined;
    const [header = "", body = "", signature = ""] = parts;
    const valid = createVerify("RSA-SHA256")
      .update(`${header}.${body}`)
      .verify(this.publicKey, Buffer.from(signature, "base64url"));
    if (!valid) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as unknown;
      return typeof claims === "object" && claims !== null ? (claims as GithubClaims) : undefined;
    } catch {
      return undefined;
    }
  }
}
