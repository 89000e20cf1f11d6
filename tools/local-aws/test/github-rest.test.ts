/**
 * The actions' own GitHub code (shared/commit-status, shared/deployments, train-and-commit's sticky
 * comment, gate-check's status reader) with a real Octokit against the stand-in, and the stand-in's
 * answers to requests GitHub's description does not allow.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { recordCommitStatus } from "@textcat/action-shared/commit-status";
import { recordDeployment } from "@textcat/action-shared/deployments";
import { captureStdout } from "@textcat/action-shared/testing/capture-stdout";
import { StatusReader } from "@textcat/action-gate-check/lookup";
import { upsertStickyComment } from "@textcat/action-train-and-commit/sticky-comment";
import { NAME, OWNER, startFixture, type Fixture } from "./github-fixture.js";

let f: Fixture;
let base = "";
let head = "";
const repo = { owner: OWNER, repo: NAME, serverUrl: "", runUrl: "https://run/1" };

beforeAll(async () => {
  f = await startFixture();
  repo.serverUrl = f.gh.serverUrl;
  base = f.commit({ "README.md": "r" }, "base");
  f.publish("main");
  f.git(["checkout", "--quiet", "-b", "retrain"]);
  f.commit({ "model/a.txt": "1" }, "first");
  head = f.commit({ "model/a.txt": "2" }, "second");
  f.publish("retrain");
  await f.gh.openPullRequest({
    number: 7,
    headRef: "retrain",
    headSha: head,
    baseRef: "main",
    baseSha: base,
  });
});
afterAll(() => f.close());
afterEach(() => vi.restoreAllMocks());

/** A raw request, to see exactly what GitHub's rules answer. */
async function call(method: string, path: string, token: string | undefined, body?: unknown) {
  const response = await fetch(`${f.gh.apiUrl}${path}`, {
    method,
    headers: { ...(token ? { authorization: `token ${token}` } : {}), "content-type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Record<string, unknown>,
  };
}

describe("commit statuses (shared/commit-status.ts)", () => {
  test("statuses: write records the status on the exact commit, created by github-actions[bot]", async () => {
    const client = f.client({ permissions: { statuses: "write" }, jobName: "train" });
    const ok = await recordCommitStatus({
      token: "t",
      sha: head,
      context: "textcat/image",
      state: "success",
      description: "d",
      client,
      repo,
    });
    expect(ok).toBe(true);
    const reader = f.client({ permissions: { statuses: "read" } });
    const { data } = await reader.rest.repos.listCommitStatusesForRef({
      owner: OWNER,
      repo: NAME,
      ref: head,
    });
    expect(data.map((s) => [s.context, s.state, s.creator?.login])).toEqual([
      ["textcat/image", "success", "github-actions[bot]"],
    ]);
    expect(f.gh.records.statuses.at(-1)).toMatchObject({
      sha: head,
      context: "textcat/image",
      jobName: "train",
    });
  });

  test("without statuses: write it is GitHub's 403, which the action reports as a warning", async () => {
    const written = captureStdout();
    const before = f.gh.records.statuses.length;
    const client = f.client({ permissions: { "pull-requests": "write", contents: "write" } });
    const ok = await recordCommitStatus({
      token: "t",
      sha: head,
      context: "textcat/image",
      state: "success",
      description: "d",
      client,
      repo,
    });
    expect(ok).toBe(false);
    expect(f.gh.records.statuses.length).toBe(before);
    expect(written.join("")).toContain("Resource not accessible by integration");
  });

  test("the refusal has GitHub's body and names the permission in X-Accepted-GitHub-Permissions", async () => {
    const token = f.gh.issueToken({ permissions: {} });
    const answer = await call("POST", `/repos/${OWNER}/${NAME}/statuses/${head}`, token, {
      state: "success",
    });
    expect(answer.status).toBe(403);
    expect(answer.json).toEqual({
      message: "Resource not accessible by integration",
      documentation_url: "https://docs.github.com/rest/commits/statuses#create-a-commit-status",
      status: "403",
    });
    expect(answer.headers.get("x-accepted-github-permissions")).toBe("statuses=write");
  });

  test("a body without the required state is 422 Invalid request, recording nothing", async () => {
    const token = f.gh.issueToken({ permissions: { statuses: "write" } });
    const before = f.gh.records.statuses.length;
    const answer = await call("POST", `/repos/${OWNER}/${NAME}/statuses/${head}`, token, { context: "x" });
    expect(answer.status).toBe(422);
    expect(answer.json.message).toBe('Invalid request.\n\n"state" wasn\'t supplied.');
    expect(f.gh.records.statuses.length).toBe(before);
  });

  test("a state outside the described enum is 422 naming the field", async () => {
    const token = f.gh.issueToken({ permissions: { statuses: "write" } });
    const answer = await call("POST", `/repos/${OWNER}/${NAME}/statuses/${head}`, token, { state: "passed" });
    expect(answer.status).toBe(422);
    expect(answer.json.message).toContain("For 'properties/state', \"passed\" is not a member of");
  });

  test("a commit the repository does not have is 422 No commit found for SHA", async () => {
    const token = f.gh.issueToken({ permissions: { statuses: "write" } });
    const missing = "0".repeat(40);
    const answer = await call("POST", `/repos/${OWNER}/${NAME}/statuses/${missing}`, token, {
      state: "success",
    });
    expect(answer.status).toBe(422);
    expect(answer.json.message).toBe(`No commit found for SHA: ${missing}`);
  });

  test("a description over 140 characters is 422 Validation Failed", async () => {
    const token = f.gh.issueToken({ permissions: { statuses: "write" } });
    const answer = await call("POST", `/repos/${OWNER}/${NAME}/statuses/${head}`, token, {
      state: "success",
      description: "x".repeat(141),
    });
    expect(answer.status).toBe(422);
    expect(answer.json).toMatchObject({
      message: "Validation Failed",
      errors: [{ field: "description", code: "custom" }],
    });
  });
});

describe("requests GitHub's description does not allow", () => {
  test.each([
    ["an unknown path", "GET", `/repos/${OWNER}/${NAME}/branches`],
    ["a method the path does not take", "DELETE", `/repos/${OWNER}/${NAME}/statuses/abc`],
    ["another repository", "GET", `/repos/${OWNER}/other/commits/abc/statuses`],
  ])("%s is 404 Not Found", async (_case, method, path) => {
    const token = f.gh.issueToken({ permissions: "write-all" });
    const answer = await call(method, path, token);
    expect(answer.status).toBe(404);
    expect(answer.json).toEqual({
      message: "Not Found",
      documentation_url: "https://docs.github.com/rest",
      status: "404",
    });
  });

  test("no token is 401 Requires authentication; a token never issued is 401 Bad credentials", async () => {
    const path = `/repos/${OWNER}/${NAME}/commits/${head}/statuses`;
    expect((await call("GET", path, undefined)).json.message).toBe("Requires authentication");
    const bad = await call("GET", path, "ghs_not-issued");
    expect(bad.status).toBe(401);
    expect(bad.json.message).toBe("Bad credentials");
  });

  test("unparsable JSON is 400 Problems parsing JSON; an array body is 400 Body should be a JSON object", async () => {
    const token = f.gh.issueToken({ permissions: { issues: "write" } });
    const path = `/repos/${OWNER}/${NAME}/issues/7/comments`;
    expect((await call("POST", path, token, "{not json")).json.message).toBe("Problems parsing JSON");
    const array = await call("POST", path, token, "[]");
    expect(array.status).toBe(400);
    expect(array.json.message).toBe("Body should be a JSON object");
  });

  test("a body field of the wrong type is 422 naming it", async () => {
    const token = f.gh.issueToken({ permissions: { issues: "write" } });
    const answer = await call("POST", `/repos/${OWNER}/${NAME}/issues/7/comments`, token, { body: 42 });
    expect(answer.status).toBe(422);
    expect(answer.json.message).toBe("Invalid request.\n\nFor 'properties/body', 42 is not a string.");
  });
});

describe("the sticky comment (train-and-commit/sticky-comment.ts)", () => {
  const target = { owner: OWNER, repo: NAME, issueNumber: 7 };
  const marker = "<!-- sticky -->";

  test("is created once and then updated in place, with pull-requests: write alone", async () => {
    const client = f.client({ permissions: { "pull-requests": "write" } });
    const first = await upsertStickyComment(client, target, marker, `${marker}\nrun 1`);
    const second = await upsertStickyComment(client, target, marker, `${marker}\nrun 2`);
    expect([first.action, second.action]).toEqual(["created", "updated"]);
    expect(second.url).toBe(first.url);
    const sticky = f.gh.records.comments.filter((c) => c.body.startsWith(marker));
    expect(sticky).toHaveLength(1);
    expect(sticky[0]).toMatchObject({ issueNumber: 7, updates: 1, body: `${marker}\nrun 2` });
  });

  test("issues: write is enough too; neither is 403 and nothing is written", async () => {
    const withIssues = f.client({ permissions: { issues: "write" } });
    expect((await upsertStickyComment(withIssues, target, marker, `${marker}\nrun 3`)).action).toBe(
      "updated",
    );
    const readOnly = f.client({ permissions: { "pull-requests": "read", issues: "read" } });
    await expect(upsertStickyComment(readOnly, target, marker, `${marker}\nrun 4`)).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining("Resource not accessible by integration"),
    });
    expect(f.gh.records.comments.find((c) => c.body.startsWith(marker))?.body).toBe(`${marker}\nrun 3`);
  });

  test("comment listings page as GitHub's do: Link header, per_page, paginate reads them all", async () => {
    const client = f.client({ permissions: { issues: "write" } });
    await expect(
      client.rest.issues.createComment({ owner: OWNER, repo: NAME, issue_number: 8, body: "x" }),
    ).rejects.toMatchObject({ status: 404 }); // #8 was never opened
    for (let i = 0; i < 3; i++) {
      await client.rest.issues.createComment({
        owner: OWNER,
        repo: NAME,
        issue_number: 7,
        body: `reply ${i}`,
      });
    }
    const page = await client.rest.issues.listComments({
      owner: OWNER,
      repo: NAME,
      issue_number: 7,
      per_page: 1,
    });
    expect(page.headers.link).toMatch(/<[^>]+[?&]page=2[^>]*>; rel="next"/);
    const all = await client.paginate(client.rest.issues.listComments, {
      owner: OWNER,
      repo: NAME,
      issue_number: 7,
      per_page: 2,
    });
    expect(all.map((c) => c.body)).toEqual(
      f.gh.records.comments.filter((c) => c.issueNumber === 7).map((c) => c.body),
    );
    expect(all).toHaveLength(4);
  });
});

describe("deployments (shared/deployments.ts)", () => {
  test("deployments: write records the deployment of the exact commit and its statuses", async () => {
    const client = f.client({ permissions: { deployments: "write" }, jobName: "deploy" });
    const record = await recordDeployment({
      token: "t",
      environment: "dev",
      ref: head,
      description: "digest sha256:1",
      client,
      repo,
    });
    await record.setStatus("in_progress", "rolling");
    await record.setStatus("success", "version 7 is live");
    const deployment = f.gh.records.deployments.find((d) => d.id === record.id);
    expect(deployment).toMatchObject({ sha: head, ref: head, environment: "dev", jobName: "deploy" });
    expect(
      f.gh.records.deploymentStatuses.filter((s) => s.deploymentId === record.id).map((s) => s.state),
    ).toEqual(["in_progress", "success"]);
  });

  test("a later success marks the earlier non-production deployment inactive (auto_inactive)", async () => {
    const client = f.client({ permissions: { deployments: "write" } });
    const first = f.gh.records.deployments.find((d) => d.environment === "dev")!;
    const second = await recordDeployment({
      token: "t",
      environment: "dev",
      ref: base,
      description: "rollback",
      client,
      repo,
    });
    await second.setStatus("success", "rolled back");
    expect(f.gh.records.deploymentStatuses.filter((s) => s.deploymentId === first.id).at(-1)?.state).toBe(
      "inactive",
    );
  });

  test("without deployments: write nothing is recorded and the action only warns", async () => {
    const written = captureStdout();
    const before = f.gh.records.deployments.length;
    const client = f.client({ permissions: { statuses: "write", contents: "read" } });
    const record = await recordDeployment({
      token: "t",
      environment: "prod",
      ref: head,
      description: "d",
      client,
      repo,
    });
    expect(record.id).toBeUndefined();
    expect(f.gh.records.deployments.length).toBe(before);
    expect(written.join("")).toContain("Resource not accessible by integration");
  });

  test("without required_contexts GitHub first checks the commit's statuses: a failing one is 409", async () => {
    const client = f.client({ permissions: { deployments: "write", statuses: "write" } });
    await client.rest.repos.createCommitStatus({
      owner: OWNER,
      repo: NAME,
      sha: base,
      state: "failure",
      context: "ci",
    });
    await expect(
      client.rest.repos.createDeployment({ owner: OWNER, repo: NAME, ref: base, environment: "dev" }),
    ).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining(`Commit status checks failed for ${base}`),
    });
    const bypassed = await client.rest.repos.createDeployment({
      owner: OWNER,
      repo: NAME,
      ref: base,
      environment: "qa",
      required_contexts: [],
    });
    expect(bypassed.status).toBe(201);
  });

  test("a ref the repository does not have is 422 No ref found", async () => {
    const client = f.client({ permissions: { deployments: "write" } });
    await expect(
      client.rest.repos.createDeployment({
        owner: OWNER,
        repo: NAME,
        ref: "no-such-branch",
        required_contexts: [],
      }),
    ).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining("No ref found for: no-such-branch"),
    });
  });
});

describe("gate-check's status reader (gate-check/lookup.ts)", () => {
  test("finds a merged pull request's commits from its merge commit", async () => {
    f.git(["checkout", "--quiet", "main"]);
    f.git(["merge", "--quiet", "--no-ff", "-m", "Merge pull request #7", "retrain"]);
    const merge = f.git(["rev-parse", "HEAD"]);
    f.publish("main");
    f.gh.mergePullRequest(7, merge);
    const reader = new StatusReader(
      f.client({ permissions: { "pull-requests": "read", statuses: "read" } }),
      repo,
    );
    const commits = await reader.pullRequestCommits(merge);
    expect(commits).toEqual(f.git(["rev-list", `${base}..${head}`]).split("\n"));
    expect(commits[0]).toBe(head);
  });

  test("without pull-requests: read the lookup is refused", async () => {
    const reader = new StatusReader(f.client({ permissions: { statuses: "read" } }), repo);
    await expect(reader.pullRequestCommits(head)).rejects.toMatchObject({ status: 403 });
  });
});
