/**
 * Every answer the stand-in gives the actions, checked against the response schema GitHub's own
 * description documents for that operation and status (the same @octokit/openapi description the
 * requests are checked against).
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import {
  describedOperations,
  schemaValidator,
  SERVED_OPERATIONS,
  type OperationId,
} from "../src/github/description.js";
import { NAME, OWNER, startFixture, type Fixture } from "./github-fixture.js";

let f: Fixture;
let base = "";
let head = "";
let merge = "";
const seen = new Map<OperationId, { status: number; body: unknown }>();

beforeAll(async () => {
  f = await startFixture();
  base = f.commit({ "README.md": "r" }, "base");
  f.publish("main");
  f.git(["checkout", "--quiet", "-b", "retrain"]);
  head = f.commit({ "model/a.txt": "1" }, "retrain");
  f.publish("retrain");
  f.git(["checkout", "--quiet", "main"]);
  f.git(["merge", "--quiet", "--no-ff", "-m", "Merge pull request #3", "retrain"]);
  merge = f.git(["rev-parse", "HEAD"]);
  f.publish("main");
  await f.gh.openPullRequest({
    number: 3,
    headRef: "retrain",
    headSha: head,
    baseRef: "main",
    baseSha: base,
    title: "Retrain",
  });
  f.gh.mergePullRequest(3, merge);

  const client = f.client({ permissions: "write-all" });
  const r = { owner: OWNER, repo: NAME };
  const record = (id: OperationId, response: { status: number; data: unknown }) =>
    seen.set(id, { status: response.status, body: response.data });
  record(
    "repos/create-commit-status",
    await client.rest.repos.createCommitStatus({
      ...r,
      sha: head,
      state: "success",
      context: "c",
      description: "d",
      target_url: "https://run/1",
    }),
  );
  record(
    "repos/list-commit-statuses-for-ref",
    await client.rest.repos.listCommitStatusesForRef({ ...r, ref: head }),
  );
  record(
    "repos/list-pull-requests-associated-with-commit",
    await client.rest.repos.listPullRequestsAssociatedWithCommit({ ...r, commit_sha: merge }),
  );
  record("pulls/list-commits", await client.rest.pulls.listCommits({ ...r, pull_number: 3 }));
  const deployment = await client.rest.repos.createDeployment({
    ...r,
    ref: merge,
    environment: "prod",
    auto_merge: false,
    required_contexts: [],
    production_environment: true,
  });
  record("repos/create-deployment", deployment);
  const id = (deployment.data as { id: number }).id;
  record(
    "repos/create-deployment-status",
    await client.rest.repos.createDeploymentStatus({
      ...r,
      deployment_id: id,
      state: "success",
      environment_url: "https://x",
      log_url: "https://run/1",
      auto_inactive: true,
    }),
  );
  const comment = await client.rest.issues.createComment({ ...r, issue_number: 3, body: "hello" });
  record("issues/create-comment", comment);
  record(
    "issues/update-comment",
    await client.rest.issues.updateComment({ ...r, comment_id: comment.data.id, body: "hello again" }),
  );
  record("issues/list-comments", await client.rest.issues.listComments({ ...r, issue_number: 3 }));
});
afterAll(() => f.close());

test.each([...SERVED_OPERATIONS])("%s answers what the description documents", (id) => {
  const answer = seen.get(id);
  expect(answer, `${id} was not called`).toBeDefined();
  const schema = describedOperations().get(id)?.responses[String(answer!.status)];
  expect(schema, `no ${answer!.status} response documented for ${id}`).toBeDefined();
  const validate = schemaValidator(schema!);
  const valid = validate(answer!.body);
  expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 3))).toEqual([]);
  expect(valid).toBe(true);
});

test("the answers carry the facts the actions read", () => {
  const pulls = seen.get("repos/list-pull-requests-associated-with-commit")!.body as {
    number: number;
    merge_commit_sha: string;
  }[];
  expect(pulls.map((p) => [p.number, p.merge_commit_sha])).toEqual([[3, merge]]);
  const commits = seen.get("pulls/list-commits")!.body as { sha: string; commit: { message: string } }[];
  expect(commits.map((c) => [c.sha, c.commit.message])).toEqual([[head, "retrain"]]);
  const created = seen.get("issues/create-comment")!.body as {
    id: number;
    node_id: string;
    html_url: string;
  };
  expect(created.node_id).toBe(Buffer.from(`012:IssueComment${created.id}`).toString("base64"));
  expect(created.html_url).toBe(`${f.gh.serverUrl}/${OWNER}/${NAME}/pull/3#issuecomment-${created.id}`);
  const deployment = seen.get("repos/create-deployment")!.body as {
    sha: string;
    production_environment: boolean;
  };
  expect(deployment).toMatchObject({ sha: merge, production_environment: true });
});
