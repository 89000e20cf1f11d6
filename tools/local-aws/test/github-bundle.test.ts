/**
 * The committed gate-check bundle, run as the runner runs it (node dist/index.js, INPUT_*,
 * GITHUB_API_URL), reading the quality gate's record through the stand-in with the grants deploy.yml's
 * gate job declares (contents, statuses and pull-requests: read); one grant fewer and the step fails
 * with GitHub's 403, as it would on github.com.
 */
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { recordCommitStatus } from "@textcat/action-shared/commit-status";
import { artifactsSha256, gatePassedDescription, GATE_CONTEXT } from "@textcat/action-shared/gate-record";
import { actionEnvFor, type ActionEnv } from "@textcat/action-shared/testing/action-env";
import { runBundle } from "@textcat/action-shared/testing/run-bundle";
import type { PermissionsBlock } from "../src/github/index.js";
import { NAME, OWNER, startFixture, type Fixture } from "./github-fixture.js";

// The runner sets every input action.yml gives a default; so does this.
const setupActionEnv = actionEnvFor("gate-check");

let f: Fixture;
let judged = "";
let env: ActionEnv | undefined;

beforeAll(async () => {
  f = await startFixture();
  const base = f.commit({ "model/artifacts/model.onnx": "m1", "README.md": "r" }, "base");
  f.publish("main");
  f.git(["checkout", "--quiet", "-b", "retrain"]);
  judged = f.commit({ "model/artifacts/model.onnx": "trained" }, "chore(model): update trained artifacts");
  f.publish("retrain");
  await f.gh.openPullRequest({
    number: 3,
    headRef: "retrain",
    headSha: judged,
    baseRef: "main",
    baseSha: base,
  });
  const client = f.client({ permissions: { statuses: "write" }, jobName: "train" });
  const repo = { owner: OWNER, repo: NAME, serverUrl: f.gh.serverUrl };
  const description = gatePassedDescription(0.9, 0.88, artifactsSha256(join(f.root, "model/artifacts")));
  const recorded = await recordCommitStatus({
    token: "t",
    sha: judged,
    context: GATE_CONTEXT,
    state: "success",
    description,
    client,
    repo,
  });
  if (!recorded) throw new Error("setup: the gate status was not recorded");
  f.git(["checkout", "--quiet", "main"]);
  f.git(["merge", "--quiet", "--no-ff", "-m", "Merge pull request #3", "retrain"]);
  f.publish("main");
  f.gh.mergePullRequest(3, f.git(["rev-parse", "HEAD"]));
});
afterAll(() => f.close());
afterEach(() => env?.restore());

async function gateCheckDeploy(permissions: PermissionsBlock) {
  const token = f.gh.issueToken({ permissions, jobName: "gate" });
  env = setupActionEnv(
    { mode: "deploy", "github-token": token },
    { GITHUB_API_URL: f.gh.apiUrl, GITHUB_SERVER_URL: f.gh.serverUrl, GITHUB_REPOSITORY: `${OWNER}/${NAME}` },
  );
  const result = await runBundle("gate-check", env, { cwd: f.root });
  return { ...result, outputs: env.outputs() };
}

test("with deploy.yml's gate grants the pipeline's own gate status lets the deploy go ahead", async () => {
  const run = await gateCheckDeploy({ contents: "read", statuses: "read", "pull-requests": "read" });
  expect(run.errors).toEqual([]);
  expect(run.exitCode).toBe(0);
  expect(run.outputs.reason).toBe(`the quality gate passed these artifacts at ${judged}`);
});

test("without statuses: read the step fails on GitHub's 403", async () => {
  const run = await gateCheckDeploy({ contents: "read", "pull-requests": "read" });
  expect(run.exitCode).toBe(1);
  expect(run.errors.join("\n")).toContain("Resource not accessible by integration");
  expect(f.gh.records.requests.at(-1)).toMatchObject({
    status: 403,
    operation: "repos/list-commit-statuses-for-ref",
    jobName: "gate",
  });
});

test("without pull-requests: read the step fails too", async () => {
  const run = await gateCheckDeploy({ contents: "read", statuses: "read" });
  expect(run.exitCode).toBe(1);
  expect(run.errors.join("\n")).toContain("Resource not accessible by integration");
});
