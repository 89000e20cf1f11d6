/**
 * A job's GITHUB_TOKEN carries exactly the grants its workflow declares: deploy.yml's `gate` job, run
 * from its workflow file with the real gate-check bundle against the GitHub stand-in, passes; the
 * same job from a copy of the workflow without `statuses: read` fails at the step that reads the
 * statuses, with GitHub's 403.
 */
import * as github from "@actions/github";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactsSha256, gatePassedDescription } from "@textcat/action-shared/gate-record";
import { eventPayload } from "../src/events.js";
import { LOCAL_REPOSITORY, MAIN, STORY_REPOSITORY } from "../src/github-jobs.js";
import { GitHubSite } from "../src/github-site.js";
import { runAction, type ActionRun } from "../src/run-action.js";
import { createScratchRepo, type ScratchRepo } from "../src/scratch-repo.js";
import { WorkflowRun, type JobHost, type JobResult, type JobSpec } from "../src/workflow-run.js";
import { copyWorkflows, ROOT, type WorkflowCopy } from "./workflow-copy.js";

let repo: ScratchRepo;
let site: GitHubSite;
let copy: WorkflowCopy;

/** Runs bundles in the scratch clone with the stand-in's URLs; this job needs no AWS. */
const host = (): JobHost => ({
  assumeRole: () => Promise.reject(new Error("the gate job assumes no role")),
  githubToken: (job: JobSpec) => Promise.resolve(site.token(job)),
  runBundle: (uses, inputs, job): Promise<ActionRun> =>
    runAction(uses, inputs, {
      actionsRoot: ROOT,
      workspace: repo.root,
      tempDir: repo.tempDir,
      awsEndpoint: "http://127.0.0.1:9",
      region: "us-east-1",
      eventName: job.event.name,
      eventPayload: job.event.payload,
      sha: job.event.sha,
      ref: job.event.ref,
      githubApiUrl: site.standIn.apiUrl,
      githubServerUrl: site.standIn.serverUrl,
    }),
});

async function gateJob(root: string): Promise<JobResult> {
  const head = await repo.head();
  const payload = eventPayload(STORY_REPOSITORY, {
    kind: "push",
    ref: MAIN,
    before: head,
    after: head,
    message: "merge",
  });
  const run = new WorkflowRun(host(), {
    root,
    workflow: "deploy.yml",
    event: { kind: "push", name: "push", payload, ref: MAIN, sha: head },
    vars: {},
    environments: {},
  });
  return run.job("gate");
}

beforeAll(async () => {
  repo = await createScratchRepo(ROOT);
  site = await GitHubSite.open(repo);
  copy = await copyWorkflows();
  // What train-and-commit records when the gate passes, on the commit that last changed the artifacts.
  const judged = await repo.git("log", "-1", "--format=%H", "--", "model/artifacts");
  const token = site.standIn.issueToken({ permissions: { statuses: "write" }, jobName: "pr.yml train" });
  await github.getOctokit(token, { baseUrl: site.standIn.apiUrl }).rest.repos.createCommitStatus({
    owner: LOCAL_REPOSITORY.owner,
    repo: LOCAL_REPOSITORY.name,
    sha: judged,
    state: "success",
    context: "textcat/quality-gate",
    description: gatePassedDescription(0.9, 0.9, artifactsSha256(join(repo.root, "model/artifacts"))),
  });
}, 300_000);
afterAll(async () => {
  await site?.close();
  await copy?.remove();
  await repo?.remove();
});

describe("the job token carries the workflow's grants", () => {
  it("passes deploy.yml gate as the workflow declares it", async () => {
    const job = await gateJob(copy.root);
    expect(job.failure?.log ?? "").toBe("");
    expect(job.result).toBe("success");
    expect(job.runs.at(-1)?.log).toContain("the quality gate passed these artifacts");
  }, 300_000);

  it("fails the step with GitHub's 403 when the workflow loses statuses: read", async () => {
    await copy.edit(
      ".github/workflows/deploy.yml",
      "      statuses: read # the pipeline's textcat/quality-gate statuses\n      pull-requests: read",
      "      pull-requests: read",
    );
    const job = await gateJob(copy.root);
    expect(job.result).toBe("failure");
    expect(job.failure?.step).toBe("deploy.yml job gate step ./action-src/gate-check");
    expect(job.failure?.log).toContain("Resource not accessible by integration");
    const refused = site.standIn.records.requests.filter((request) => request.status === 403);
    expect(refused.at(-1)).toMatchObject({
      operation: "repos/list-commit-statuses-for-ref",
      jobName: "deploy.yml gate",
    });
  }, 300_000);
});
