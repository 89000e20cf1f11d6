/** What the stand-in holds: pull requests it was told about, and what the actions wrote through the API. */
import type {
  CommentRecord,
  CommitStatusRecord,
  DeploymentRecord,
  DeploymentStatusRecord,
  GitHubRecords,
  PullRequestSeed,
  RequestRecord,
} from "./types.js";

export interface PullRequestState {
  seed: PullRequestSeed;
  /** Oldest first. */
  commits: string[];
  mergeCommitSha?: string;
  createdAt: string;
  mergedAt?: string;
}

export class GitHubStore implements GitHubRecords {
  readonly comments: CommentRecord[] = [];
  readonly statuses: CommitStatusRecord[] = [];
  readonly deployments: DeploymentRecord[] = [];
  readonly deploymentStatuses: DeploymentStatusRecord[] = [];
  readonly requests: RequestRecord[] = [];
  readonly pullRequests = new Map<number, PullRequestState>();
  private lastId = 1000;

  nextId(): number {
    this.lastId += 1;
    return this.lastId;
  }

  statusesFor(deploymentId: number): DeploymentStatusRecord[] {
    return this.deploymentStatuses.filter((s) => s.deploymentId === deploymentId);
  }
}
