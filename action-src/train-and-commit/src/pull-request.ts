import { readFileSync } from "node:fs";

export interface PullRequestInfo {
  number: number;
  headRef: string;
  headSha: string;
  /** owner/name of the repository the PR branch lives in. */
  headRepo: string;
  baseRepo: string;
  baseSha: string;
  baseRef: string;
}

/** The pull request this run is for, from the event payload; undefined when the event is not a PR. */
export function readPullRequest(env: NodeJS.ProcessEnv = process.env): PullRequestInfo | undefined {
  if (!env.GITHUB_EVENT_PATH || !/^pull_request/.test(env.GITHUB_EVENT_NAME ?? "")) return undefined;
  let payload: { pull_request?: Record<string, unknown> };
  try {
    payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, "utf8")) as typeof payload;
  } catch {
    return undefined;
  }
  const pr = payload.pull_request as { number: number; head: PrSide; base: PrSide } | undefined;
  if (!pr?.head || !pr.base) return undefined;
  return {
    number: pr.number,
    headRef: pr.head.ref,
    headSha: pr.head.sha,
    headRepo: pr.head.repo?.full_name ?? "",
    baseRepo: pr.base.repo?.full_name ?? "",
    baseSha: pr.base.sha,
    baseRef: pr.base.ref,
  };
}

interface PrSide {
  ref: string;
  sha: string;
  repo?: { full_name?: string } | null;
}

export function isFork(pr: PullRequestInfo): boolean {
  return pr.headRepo !== pr.baseRepo;
}
