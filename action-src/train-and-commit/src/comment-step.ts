import * as core from "@actions/core";
import { errorMessage } from "@textcat/kit/errors";
import type { RepoContext } from "@textcat/action-shared/github-context";
import type { CommentInput } from "./comment.js";
import { COMMENT_MARKER, renderComment } from "./comment.js";
import type { Deps } from "./main.js";
import type { PullRequestInfo } from "./pull-request.js";
import { isFork } from "./pull-request.js";
import { upsertStickyComment } from "./sticky-comment.js";

/** Keeps the one sticky PR comment; every reason not to is a notice, never a failed step. */
export async function postComment(
  deps: Pick<Deps, "createGitHubClient">,
  token: string,
  pr: PullRequestInfo | undefined,
  repo: RepoContext | undefined,
  input: CommentInput,
): Promise<void> {
  if (!pr || !repo) return core.notice("Not a pull request: PR comment skipped");
  if (!token) return core.notice('No "github-token": PR comment skipped');
  try {
    const client = deps.createGitHubClient(token);
    const target = { owner: repo.owner, repo: repo.repo, issueNumber: pr.number };
    const result = await upsertStickyComment(client, target, COMMENT_MARKER, renderComment(input));
    core.info(`PR comment ${result.action}: ${result.url}`);
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 403 || status === 404) {
      const why = isFork(pr)
        ? "pull requests from forks get a read-only token"
        : "the token lacks pull-requests: write";
      core.notice(`PR comment skipped: ${why} (${errorMessage(error)})`);
    } else {
      core.warning(`PR comment not written: ${errorMessage(error)}`);
    }
  }
}
