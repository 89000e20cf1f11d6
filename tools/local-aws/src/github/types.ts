/** The public shapes of the GitHub stand-in: what a story or test hands it and reads back. */

/** A permission level as a workflow job's `permissions:` writes it. */
export type PermissionLevel = "read" | "write" | "none";

/**
 * A job's `permissions:` block: a map such as `{ statuses: "write" }` (`{}` grants nothing but
 * metadata), or the shorthands `read-all` / `write-all`.
 */
export type PermissionsBlock = Record<string, PermissionLevel> | "read-all" | "write-all";

export interface TokenRequest {
  permissions: PermissionsBlock;
  /** A pull request from a fork: GitHub caps every grant of its GITHUB_TOKEN at read. */
  fork?: boolean;
  /** Named in the request log and the reviewer view. */
  jobName?: string;
}

export interface RepositoryIdentity {
  owner: string;
  name: string;
  /** The repository's numeric id (GITHUB_REPOSITORY_ID); 1 by default. */
  id?: number;
  /** The owner's numeric id (GITHUB_REPOSITORY_OWNER_ID); 1 by default. */
  ownerId?: number;
}

export interface GitHubStandInOptions {
  repository: RepositoryIdentity;
  /** A bare git repository: served at gitUrl, and where SHAs and refs named in API calls are looked up. */
  bareRepoDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Stamps created_at/updated_at; the wall clock by default. */
  now?: () => Date;
  /** One line per request on stderr. */
  verbose?: boolean;
}

export interface PullRequestSeed {
  number: number;
  /** The branch the pull request comes from, e.g. `retrain-demo`. */
  headRef: string;
  headSha: string;
  /** The branch it targets, e.g. `main`. */
  baseRef: string;
  /** The base commit the pull request's commits are counted from (`git rev-list baseSha..headSha`). */
  baseSha: string;
  title?: string;
  /** Opened from a fork. */
  fork?: boolean;
}

export interface CommentRecord {
  id: number;
  issueNumber: number;
  body: string;
  createdAt: string;
  updatedAt: string;
  /** How many times it was edited after creation. */
  updates: number;
  jobName?: string;
}

export interface CommitStatusRecord {
  id: number;
  sha: string;
  context: string;
  state: string;
  description: string | null;
  targetUrl: string | null;
  createdAt: string;
  jobName?: string;
}

export interface DeploymentRecord {
  id: number;
  /** The ref as requested (branch, tag or SHA). */
  ref: string;
  /** The commit the ref resolved to. */
  sha: string;
  environment: string;
  description: string | null;
  productionEnvironment: boolean;
  createdAt: string;
  jobName?: string;
}

export interface DeploymentStatusRecord {
  id: number;
  deploymentId: number;
  state: string;
  description: string;
  environmentUrl: string;
  logUrl: string;
  createdAt: string;
  jobName?: string;
}

/** One answered request, refused ones included. */
export interface RequestRecord {
  method: string;
  path: string;
  /** The OpenAPI operationId, or `git-upload-pack`/`git-receive-pack`; undefined for an unknown route. */
  operation?: string;
  status: number;
  /** The error message sent back, for a 4xx. */
  message?: string;
  jobName?: string;
}

export interface GitHubRecords {
  readonly comments: readonly CommentRecord[];
  readonly statuses: readonly CommitStatusRecord[];
  readonly deployments: readonly DeploymentRecord[];
  readonly deploymentStatuses: readonly DeploymentStatusRecord[];
  readonly requests: readonly RequestRecord[];
}

export interface GitHubStandIn {
  /** GITHUB_SERVER_URL: the origin git pushes to and links point at. */
  serverUrl: string;
  /** GITHUB_API_URL (Octokit's baseUrl). */
  apiUrl: string;
  /** The bare repository's clone URL, `${serverUrl}/${owner}/${name}.git`. */
  gitUrl: string;
  /** A GITHUB_TOKEN carrying these permissions (metadata: read always included). */
  issueToken(request: TokenRequest): string;
  /**
   * Makes a pull request known, so its comments, commits and associated-commit lookups answer; its
   * commits are read from the bare repository (`baseSha..headSha`), which must hold both.
   */
  openPullRequest(seed: PullRequestSeed): Promise<void>;
  /** Marks a pull request merged by this commit on its base branch. */
  mergePullRequest(number: number, mergeCommitSha: string): void;
  records: GitHubRecords;
  /** The comments, statuses and deployments as a reviewer sees them, as a short text block. */
  reviewerView(): string;
  close(): Promise<void>;
}
