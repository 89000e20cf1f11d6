import type { GitHubClient } from "@textcat/action-shared/github-context";

export interface StickyTarget {
  owner: string;
  repo: string;
  issueNumber: number;
}

/**
 * Updates the comment that starts with the marker (a reply quoting it starts with "> " and is left
 * alone), or creates it; returns the comment's URL.
 */
export async function upsertStickyComment(
  client: GitHubClient,
  target: StickyTarget,
  marker: string,
  body: string,
): Promise<{ url: string; action: "created" | "updated" }> {
  const params = { owner: target.owner, repo: target.repo, issue_number: target.issueNumber, per_page: 100 };
  const comments = await client.paginate(client.rest.issues.listComments, params);
  const existing = comments.find((comment) => comment.body?.startsWith(marker));
  if (existing) {
    const updated = await client.rest.issues.updateComment({
      owner: target.owner,
      repo: target.repo,
      comment_id: existing.id,
      body,
    });
    return { url: updated.data.html_url, action: "updated" };
  }
  const created = await client.rest.issues.createComment({
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    body,
  });
  return { url: created.data.html_url, action: "created" };
}
