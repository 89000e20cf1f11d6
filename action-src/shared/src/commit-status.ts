/**
 * A commit status (the check line on a commit or PR) for what an action decided about that commit:
 * the image tested and pushed, the quality gate passed or failed. Best effort, like deployments:
 * without a token or repository context it is a no-op with a notice, and an API failure is a warning.
 */
import * as core from "@actions/core";
import { truncate } from "./deployments.js";
import { errorMessage } from "@textcat/kit/errors";
import type { GitHubClient, RepoContext } from "./github-context.js";
import { createGitHubClient, repoContext } from "./github-context.js";

export type CommitState = "pending" | "success" | "failure" | "error";

export interface CommitStatusOptions {
  token: string;
  sha: string;
  /** The status line's name, e.g. `textcat/image`. */
  context: string;
  state: CommitState;
  description: string;
  /** For tests; by default made from the token. */
  client?: GitHubClient;
  repo?: RepoContext;
}

/** Returns whether the status was recorded. */
export async function recordCommitStatus(options: CommitStatusOptions): Promise<boolean> {
  const repo = options.repo ?? repoContext();
  if (!options.token || !repo || !options.sha) {
    const missing = !options.token ? "no github-token" : !repo ? "no repository context" : "no commit sha";
    core.notice(`GitHub commit status ${options.context} not recorded: ${missing}`);
    return false;
  }
  const client = options.client ?? createGitHubClient(options.token);
  try {
    await client.rest.repos.createCommitStatus({
      owner: repo.owner,
      repo: repo.repo,
      sha: options.sha,
      state: options.state,
      context: options.context,
      description: truncate(options.description),
      target_url: repo.runUrl,
    });
    return true;
  } catch (error) {
    core.warning(`GitHub commit status ${options.context} not recorded: ${errorMessage(error)}`);
    return false;
  }
}
