/**
 * The story's jobs come from .github/workflows: inputs, permissions, environment, needs and if: are
 * read from the files, so a renamed input (in a workflow or in an action) or a removed grant shows up
 * here, on temporary copies of the repository's workflow and action files.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { evaluate, ExpressionError, strict } from "../src/pipeline/expressions.js";
import { eventPayload } from "../src/pipeline/events.js";
import { STORY_REPOSITORY } from "../src/pipeline/github-jobs.js";
import type { ActionRun } from "../src/pipeline/run-action.js";
import { WorkflowFileError } from "../src/pipeline/workflow-files.js";
import {
  WorkflowRun,
  type AwsCredentials,
  type JobHost,
  type JobSpec,
  type StoryEvent,
} from "../src/pipeline/workflow-run.js";
import { copyWorkflows, ROOT, type WorkflowCopy } from "./workflow-copy.js";

const SHA = "1".repeat(40);
const PUSH_ROLE = "arn:aws:iam::000000000000:role/push";
const DEPLOY_ROLE = "arn:aws:iam::000000000000:role/deploy";

/** Records what the runner hands over; each bundle answers with the outputs given for it. */
class RecordingHost implements JobHost {
  readonly assumed: Array<{ job: JobSpec; roleArn: string }> = [];
  readonly bundles: Array<{ uses: string; inputs: Record<string, string>; credentials?: AwsCredentials }> =
    [];
  constructor(private readonly outputs: Record<string, Record<string, string>> = {}) {}

  assumeRole(job: JobSpec, roleArn: string): Promise<AwsCredentials | { refused: string }> {
    this.assumed.push({ job, roleArn });
    return Promise.resolve({ accessKeyId: "AK", secretAccessKey: "S", sessionToken: roleArn });
  }
  githubToken(job: JobSpec): Promise<string> {
    return Promise.resolve(`token-of-${job.jobId}`);
  }
  runBundle(
    uses: string,
    inputs: Record<string, string>,
    _job: JobSpec,
    credentials?: AwsCredentials,
  ): Promise<ActionRun> {
    this.bundles.push({ uses, inputs, credentials });
    const outputs = this.outputs[`${uses}:${inputs.mode ?? ""}`] ?? this.outputs[uses] ?? {};
    return Promise.resolve({ name: uses, exitCode: 0, seconds: 0, outputs, summary: "", log: "" });
  }
}

const pushEvent = (): StoryEvent => ({
  kind: "push",
  name: "push",
  ref: "refs/heads/main",
  sha: SHA,
  payload: eventPayload(STORY_REPOSITORY, {
    kind: "push",
    ref: "refs/heads/main",
    before: "0".repeat(40),
    after: SHA,
    message: "merge",
  }),
});

const prEvent = (fork: boolean): StoryEvent => ({
  kind: "pull_request_opened",
  name: "pull_request",
  ref: "refs/pull/1/merge",
  sha: SHA,
  fromFork: fork,
  payload: eventPayload(STORY_REPOSITORY, {
    kind: "pull_request_opened",
    number: 1,
    head: {
      ref: "feature",
      sha: SHA,
      fork: fork ? { owner: "someone", ownerId: 7, name: "textcat-lambda", id: 8 } : undefined,
    },
    base: { ref: "main", sha: "0".repeat(40) },
  }),
});

function deployRun(host: JobHost, root = ROOT, workflow = "deploy.yml"): WorkflowRun {
  const run = new WorkflowRun(host, {
    root,
    workflow,
    event: pushEvent(),
    vars: { AWS_ROLE_ARN: PUSH_ROLE, AWS_REGION: "us-east-1", FUNCTION_NAME: "fn", ECR_REPOSITORY: "repo" },
    environments: { production: { AWS_ROLE_ARN: DEPLOY_ROLE } },
    overrides: { "./.github/actions/promote": { "golden-requests": "golden.json" } },
  });
  return run;
}

const IMAGE = {
  "image-uri": "127.0.0.1:5000/repo@sha256:abc",
  digest: "sha256:abc",
  "content-key": "k",
  reused: "true",
};

/** deploy.yml up to `promote`: the image and gate jobs stood in, `dev` run (skipped without a dev stage). */
async function readyToPromote(run: WorkflowRun): Promise<WorkflowRun> {
  run.assume("image", IMAGE, "test");
  run.assume("gate", {}, "test");
  await run.job("dev");
  return run;
}

describe("a job as its workflow file says", () => {
  it("runs deploy.yml promote with the workflow's inputs, environment role and token", async () => {
    const host = new RecordingHost();
    const run = await readyToPromote(deployRun(host));
    expect(run.results.get("dev")?.result).toBe("skipped");
    const job = await run.job("promote");
    expect(job.result).toBe("success");
    expect(host.assumed).toHaveLength(1);
    expect(host.assumed[0]?.roleArn).toBe(DEPLOY_ROLE);
    expect(host.assumed[0]?.job).toMatchObject({
      environment: "production",
      permissions: { contents: "read", "id-token": "write", deployments: "write" },
    });
    const [promote] = host.bundles;
    expect(promote?.uses).toBe("./action-src/promote");
    expect(promote?.credentials?.sessionToken).toBe(DEPLOY_ROLE);
    expect(promote?.inputs).toMatchObject({
      "function-name": "fn",
      "image-uri": IMAGE["image-uri"],
      "golden-requests": "golden.json",
      "canary-weight": "0",
      "canary-minutes": "5",
      "provisioned-concurrency": "0",
      "github-token": "token-of-promote",
      "git-sha": SHA,
      environment: "production",
      alias: "live",
    });
  });

  it("promotes to dev with the dev role first, then production the image dev serves", async () => {
    const served = "127.0.0.1:5000/repo@sha256:abc (as dev's promote reports it)";
    const host = new RecordingHost({ "./action-src/promote": { "image-uri": served } });
    const run = deployRun(host);
    Object.assign(run.options.vars, { DEV_FUNCTION_NAME: "fn-dev", DEV_ROLE_ARN: "arn:dev-deploy" });
    await readyToPromote(run);
    expect(run.results.get("dev")?.result).toBe("success");
    await run.job("promote");
    expect(host.assumed.map((assumed) => [assumed.roleArn, assumed.job.environment])).toEqual([
      ["arn:dev-deploy", undefined],
      [DEPLOY_ROLE, "production"],
    ]);
    const [dev, prod] = host.bundles;
    expect(dev?.inputs).toMatchObject({ "function-name": "fn-dev", environment: "dev" });
    expect(prod?.inputs).toMatchObject({ "function-name": "fn", environment: "production" });
    // deploy.yml's promote deploys needs.dev.outputs.image-uri: what the dev job's promote reported.
    expect(run.results.get("dev")?.outputs["image-uri"]).toBe(served);
    expect(prod?.inputs["image-uri"]).toBe(served);
  });

  it("skips production when dev failed: failure() sees a failed ancestor job", async () => {
    // deploy.yml promote's `if: ${{ !cancelled() && !failure() }}`: before, failure() was always false
    // and production was promoted after a failed dev.
    class DevFails extends RecordingHost {
      override async runBundle(...args: Parameters<RecordingHost["runBundle"]>): Promise<ActionRun> {
        const run = await super.runBundle(...args);
        return args[1]["function-name"] === "fn-dev" ? { ...run, exitCode: 1 } : run;
      }
    }
    const host = new DevFails();
    const run = deployRun(host);
    Object.assign(run.options.vars, { DEV_FUNCTION_NAME: "fn-dev", DEV_ROLE_ARN: "arn:dev-deploy" });
    await readyToPromote(run);
    expect(run.results.get("dev")?.result).toBe("failure");
    expect((await run.job("promote")).result).toBe("skipped");
    expect(host.bundles.map((bundle) => bundle.inputs["function-name"])).toEqual(["fn-dev"]);
  });

  it("takes the lookup's outputs and skips the build when the image is reused", async () => {
    const host = new RecordingHost({ "./action-src/build-test-push:lookup": IMAGE });
    const run = deployRun(host);
    const job = await run.job("image");
    expect(host.bundles.map((bundle) => bundle.inputs.mode)).toEqual(["lookup"]);
    expect(host.assumed[0]?.roleArn).toBe(PUSH_ROLE);
    expect(job.outputs).toEqual(IMAGE);
    // The re-test of a reused digest is `run:` steps: named, not executed on this machine.
    expect(job.notRun.join("\n")).toContain(
      "deploy.yml job image step retest: run: aws ecr get-login-password",
    );
  });

  it("runs the jobs in needs order only", async () => {
    const run = deployRun(new RecordingHost());
    await expect(run.job("promote")).rejects.toThrow(
      "deploy.yml job promote needs image, gate, dev, which the story has not run",
    );
  });

  it("skips pr.yml image for a fork PR by its if:, and runs it for the repository's own", async () => {
    for (const fork of [true, false]) {
      const host = new RecordingHost({ "./action-src/build-test-push:lookup": IMAGE });
      const run = new WorkflowRun(host, {
        root: ROOT,
        workflow: "pr.yml",
        event: prEvent(fork),
        vars: { AWS_ROLE_ARN: PUSH_ROLE },
        environments: {},
      });
      run.assume("changes", { retrain: "false" }, "test");
      expect((await run.job("train")).result).toBe("skipped");
      expect((await run.job("image")).result).toBe(fork ? "skipped" : "success");
    }
  });

  it("gives a job no permission its workflow does not grant: permissions: {} at the top", async () => {
    const run = deployRun(new RecordingHost());
    expect(run.spec("gate").permissions).toEqual({
      contents: "read",
      statuses: "read",
      "pull-requests": "read",
    });
    expect(
      new WorkflowRun(new RecordingHost(), { ...run.options, workflow: "rollback.yml" }).spec("rollback"),
    ).toMatchObject({ environment: "production" });
  });
});

describe("a workflow and its actions that disagree fail the story with a clear message", () => {
  let copy: WorkflowCopy;
  beforeEach(async () => {
    copy = await copyWorkflows();
  });
  afterEach(async () => copy.remove());
  const edit = (path: string, from: string, to: string) => copy.edit(path, from, to);

  const promoteIn = async (root: string): Promise<unknown> => {
    const run = await readyToPromote(deployRun(new RecordingHost(), root));
    return run.job("promote");
  };

  it("passes on the unchanged copy", async () => {
    await expect(promoteIn(copy.root)).resolves.toMatchObject({ result: "success" });
  });

  it("a workflow input the action does not declare", async () => {
    await edit(
      ".github/workflows/deploy.yml",
      "          function-name: ${{ vars.FUNCTION_NAME }}",
      "          function: ${{ vars.FUNCTION_NAME }}",
    );
    await expect(promoteIn(copy.root)).rejects.toThrow(
      /deploy\.yml job promote step promote: \.\/\.github\/actions\/promote has no input 'function' \(its action\.yml declares role-to-assume, aws-region, function-name,/,
    );
  });

  it("an action input renamed without the workflow: the required one is missing", async () => {
    await edit(".github/actions/promote/action.yml", "  function-name:\n", "  function:\n");
    await expect(promoteIn(copy.root)).rejects.toThrow(WorkflowFileError);
    await expect(promoteIn(copy.root)).rejects.toThrow(
      "./.github/actions/promote has no input 'function-name'",
    );
  });

  it("a bundle's input renamed under its composite", async () => {
    await edit("action-src/promote/action.yml", "  golden-requests:\n", "  golden:\n");
    await expect(promoteIn(copy.root)).rejects.toThrow("./action-src/promote has no input 'golden-requests'");
  });

  it("a composite that reads an input it does not declare", async () => {
    await edit(".github/actions/promote/action.yml", "${{ inputs.alarm-names }}", "${{ inputs.alarms }}");
    await expect(promoteIn(copy.root)).rejects.toThrow('./.github/actions/promote inputs has no "alarms"');
  });

  it("a job output read that the needed job does not declare", async () => {
    await edit(
      ".github/workflows/deploy.yml",
      "|| needs.image.outputs.image-uri",
      "|| needs.image.outputs.uri",
    );
    await expect(promoteIn(copy.root)).rejects.toThrow('needs.image.outputs has no "uri"');
  });

  it("a removed id-token grant fails configure-aws-credentials", async () => {
    await edit(
      ".github/workflows/deploy.yml",
      "      id-token: write # OIDC → AWS role\n      deployments",
      "      deployments",
    );
    const job = (await promoteIn(copy.root)) as { result: string; failure?: { step: string; log: string } };
    expect(job.result).toBe("failure");
    expect(job.failure?.log).toBe(
      "configure-aws-credentials: deploy.yml job promote has no id-token: write: Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable",
    );
  });
});

describe("the expressions the workflows use", () => {
  const contexts = {
    vars: { A: "", B: "b" },
    needs: strict("needs", { x: { result: "success", outputs: strict("needs.x.outputs", { y: "true" }) } }),
    github: strict("github", { event: { pull_request: { head: { repo: { full_name: "Local/T" } } } } }),
  };
  it.each([
    ["vars.A || vars.B", "b"],
    ["vars.A || '0'", "0"],
    ["vars.UNSET", null],
    ["needs.x.outputs.y == 'TRUE'", true],
    ["needs.x.outputs.y == 'true' && 'yes' || 'no'", "yes"],
    ["!cancelled() && needs.x.result == 'success'", true],
    ["github.event.pull_request.head.repo.full_name == 'local/t'", true],
    ["github.event.pull_request.base", null],
    ["vars['B'] != ''", true],
    ["'It''s' == 'it''S'", true],
  ])("%s", (expression, expected) => {
    expect(evaluate(expression, contexts)).toBe(expected);
  });

  it.each([
    ["matrix.check", 'context "matrix" is not available here'],
    ["needs.z.outputs.y", 'needs has no "z"'],
    ["hashFiles('x')", "does not evaluate hashFiles()"],
    ["vars.A ==", "ends too early"],
  ])("refuses %s", (expression, message) => {
    expect(() => evaluate(expression, contexts)).toThrow(ExpressionError);
    expect(() => evaluate(expression, contexts)).toThrow(message);
  });
});
