/**
 * What a job's GITHUB_TOKEN may do: the permission each served endpoint needs, and the pure decision
 * whether a token's grants cover it. No I/O here, so the rule can be tested (and mutated) alone.
 */
import type { OperationId } from "./description.js";
import type { PermissionLevel, PermissionsBlock } from "./types.js";

/**
 * A token's permissions, keyed as a workflow's `permissions:` block keys them (`pull-requests`,
 * `statuses`, …). Absent keys are `none`.
 */
export type Grants = Readonly<Record<string, PermissionLevel>>;

/** Satisfied by any one of these (GitHub lists some endpoints under two permissions). */
export type Requirement = readonly { permission: string; level: "read" | "write" }[];

/**
 * Each served endpoint's permission, from GitHub's "Permissions required for GitHub Apps"
 * (https://docs.github.com/en/rest/authentication/permissions-required-for-github-apps; its data is
 * github/docs src/github-apps/data/fpt-2022-11-28/server-to-server-permissions.json):
 * - Repository permissions for "Commit statuses": `POST /repos/{owner}/{repo}/statuses/{sha}` write,
 *   `GET /repos/{owner}/{repo}/commits/{ref}/statuses` read.
 * - "Deployments": `POST /repos/{owner}/{repo}/deployments` write,
 *   `POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses` write.
 * - "Pull requests": `GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls` read,
 *   `GET /repos/{owner}/{repo}/pulls/{pull_number}/commits` read.
 * - Issue comments (`GET`/`POST /repos/{owner}/{repo}/issues/{issue_number}/comments`,
 *   `PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}`) are listed under both "Issues" and
 *   "Pull requests" with "additional permissions": either one at the listed level will do.
 * The GITHUB_TOKEN's scopes use the same names with a dash (`pull-requests`), per
 * https://docs.github.com/en/actions/reference/github_token-reference.
 */
export const REQUIRED_PERMISSIONS: Readonly<Record<OperationId, Requirement>> = {
  "repos/create-commit-status": [{ permission: "statuses", level: "write" }],
  "repos/list-commit-statuses-for-ref": [{ permission: "statuses", level: "read" }],
  "repos/list-pull-requests-associated-with-commit": [{ permission: "pull-requests", level: "read" }],
  "pulls/list-commits": [{ permission: "pull-requests", level: "read" }],
  "repos/create-deployment": [{ permission: "deployments", level: "write" }],
  "repos/create-deployment-status": [{ permission: "deployments", level: "write" }],
  "issues/list-comments": [
    { permission: "issues", level: "read" },
    { permission: "pull-requests", level: "read" },
  ],
  "issues/create-comment": [
    { permission: "issues", level: "write" },
    { permission: "pull-requests", level: "write" },
  ],
  "issues/update-comment": [
    { permission: "issues", level: "write" },
    { permission: "pull-requests", level: "write" },
  ],
};

/** Fetching the repository over git needs contents: read; pushing to it contents: write. */
export const GIT_REQUIREMENTS = {
  fetch: [{ permission: "contents", level: "read" }],
  push: [{ permission: "contents", level: "write" }],
} as const satisfies Record<string, Requirement>;

/**
 * The scopes a workflow's `permissions:` may name, per the GITHUB_TOKEN reference
 * (https://docs.github.com/en/actions/reference/github_token-reference): "Scope | Default access |
 * … | Maximum access for pull requests from public forked repositories".
 */
export const TOKEN_SCOPES = [
  "actions",
  "attestations",
  "checks",
  "contents",
  "deployments",
  "discussions",
  "id-token",
  "issues",
  "metadata",
  "models",
  "packages",
  "pages",
  "pull-requests",
  "repository-projects",
  "security-events",
  "statuses",
] as const;

/**
 * The grants a job's token carries. "If you specify the access for any of these permissions, all of
 * those that are not specified are set to none", metadata stays read whatever the block says, and in
 * the table's last column a pull request from a fork gets at most `read` (`none` for id-token and
 * models) — https://docs.github.com/en/actions/reference/github_token-reference.
 */
export function grantsFor(block: PermissionsBlock, options: { fork?: boolean } = {}): Grants {
  const grants: Record<string, PermissionLevel> = {};
  for (const scope of TOKEN_SCOPES) {
    const declared: PermissionLevel =
      block === "write-all" ? "write" : block === "read-all" ? "read" : (block[scope] ?? "none");
    grants[scope] = options.fork ? capForFork(scope, declared) : declared;
  }
  grants.metadata = "read";
  return grants;
}

function capForFork(scope: string, level: PermissionLevel): PermissionLevel {
  if (scope === "id-token" || scope === "models") return "none";
  return level === "write" ? "read" : level;
}

/** Whether `grants` cover the requirement: write covers read, and one alternative is enough. */
export function allows(grants: Grants, requirement: Requirement): boolean {
  // Stryker disable next-line StringLiteral: equivalent, covers() grants nothing to any level but read and write
  return requirement.some(({ permission, level }) => covers(grants[permission] ?? "none", level));
}

function covers(held: PermissionLevel, needed: "read" | "write"): boolean {
  if (needed === "read") return held === "read" || held === "write";
  return held === "write";
}

/**
 * The `X-Accepted-GitHub-Permissions` header GitHub sends with a refusal: the alternatives
 * separated by `; `, each `name=level` with the App permission's name (`pull_requests`).
 */
export function acceptedPermissionsHeader(requirement: Requirement): string {
  return requirement.map(({ permission, level }) => `${permission.replace(/-/g, "_")}=${level}`).join("; ");
}

/** Unknown scope names or levels in a permissions block, as a workflow linter would name them. */
export function invalidPermissions(block: PermissionsBlock): string[] {
  if (typeof block === "string") return block === "read-all" || block === "write-all" ? [] : [block];
  return Object.entries(block)
    .filter(
      ([scope, level]) =>
        !(TOKEN_SCOPES as readonly string[]).includes(scope) || !["read", "write", "none"].includes(level),
    )
    .map(([scope, level]) => `${scope}: ${level}`);
}
