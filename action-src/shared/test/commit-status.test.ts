import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import type { GitHubClient } from "../src/github-context.js";
import { recordCommitStatus } from "../src/commit-status.js";
import type { ActionEnv } from "./action-env.js";
import { setupActionEnv } from "./action-env.js";

const repo = { owner: "octo", repo: "textcat", serverUrl: "https://github.com", runUrl: "https://run/1" };

function fakeClient(createCommitStatus = vi.fn(async () => ({ status: 201, data: {} }))) {
  return {
    client: { rest: { repos: { createCommitStatus } } } as unknown as GitHubClient,
    createCommitStatus,
  };
}

let env: ActionEnv;
beforeEach(() => {
  env = setupActionEnv({});
});
afterEach(() => env.restore());

describe("recordCommitStatus", () => {
  test("sets the status on the commit with a link to the run", async () => {
    const fake = fakeClient();
    const recorded = await recordCommitStatus({
      token: "t",
      sha: "abc123",
      context: "textcat/image",
      state: "success",
      description: "x".repeat(200),
      client: fake.client,
      repo,
    });
    expect(recorded).toBe(true);
    expect(fake.createCommitStatus).toHaveBeenCalledWith({
      owner: "octo",
      repo: "textcat",
      sha: "abc123",
      state: "success",
      context: "textcat/image",
      description: `${"x".repeat(139)}…`,
      target_url: "https://run/1",
    });
  });

  test.each([
    ["no token", { token: "", sha: "abc", repo }],
    ["no repository context", { token: "t", sha: "abc", repo: undefined }],
    ["no commit", { token: "t", sha: "", repo }],
  ])("does nothing with %s", async (_, options) => {
    const fake = fakeClient();
    const recorded = await recordCommitStatus({
      ...options,
      context: "textcat/image",
      state: "success",
      description: "d",
      client: fake.client,
    });
    expect(recorded).toBe(false);
    expect(fake.createCommitStatus).not.toHaveBeenCalled();
  });

  test("an API failure is a warning, not a failed step", async () => {
    const fake = fakeClient(
      vi.fn(async () => Promise.reject(new Error("Resource not accessible by integration"))),
    );
    const recorded = await recordCommitStatus({
      token: "t",
      sha: "abc",
      context: "textcat/quality-gate",
      state: "failure",
      description: "d",
      client: fake.client,
      repo,
    });
    expect(recorded).toBe(false);
    expect(process.exitCode).toBeUndefined();
  });
});
