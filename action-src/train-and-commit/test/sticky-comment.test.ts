import { describe, expect, test, vi } from "vitest";
import type { GitHubClient } from "@textcat/action-shared/github-context";
import { upsertStickyComment } from "../src/sticky-comment.js";

const MARKER = "<!-- marker -->";
const target = { owner: "octo", repo: "textcat", issueNumber: 7 };

function client(existing: Array<{ id: number; body: string }>) {
  const updateComment = vi.fn(async ({ comment_id }: { comment_id: number }) => ({
    data: { html_url: `u/${comment_id}` },
  }));
  const createComment = vi.fn(async () => ({ data: { html_url: "u/new" } }));
  const fake = {
    paginate: async () => existing,
    rest: { issues: { listComments: vi.fn(), updateComment, createComment } },
  };
  return { fake: fake as unknown as GitHubClient, updateComment, createComment };
}

describe("upsertStickyComment", () => {
  test("updates the comment that starts with the marker, not a reply quoting it", async () => {
    const { fake, updateComment, createComment } = client([
      { id: 1, body: `> ${MARKER}\n> quoted by a reviewer` },
      { id: 2, body: `${MARKER}\nold metrics` },
    ]);
    expect(await upsertStickyComment(fake, target, MARKER, `${MARKER}\nnew`)).toEqual({
      url: "u/2",
      action: "updated",
    });
    expect(updateComment).toHaveBeenCalledWith({
      owner: "octo",
      repo: "textcat",
      comment_id: 2,
      body: `${MARKER}\nnew`,
    });
    expect(createComment).not.toHaveBeenCalled();
  });

  test("creates the comment when none carries the marker", async () => {
    const { fake, createComment } = client([{ id: 1, body: "LGTM" }]);
    expect(await upsertStickyComment(fake, target, MARKER, `${MARKER}\nnew`)).toEqual({
      url: "u/new",
      action: "created",
    });
    expect(createComment).toHaveBeenCalledWith({
      owner: "octo",
      repo: "textcat",
      issue_number: 7,
      body: `${MARKER}\nnew`,
    });
  });
});
