import { CreateRepositoryCommand, DeleteRepositoryCommand, ECRClient } from "@aws-sdk/client-ecr";
import {
  CreateFunctionCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  waitUntilFunctionActiveV2,
} from "@aws-sdk/client-lambda";
import { appendFile, copyFile, readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { CommandError, imageExists, run } from "@textcat/kit/process";
import { assumeRoleWithToken, STS_AUDIENCE } from "@textcat/local-aws/assume-role";
import { githubClaims, type GithubJob } from "@textcat/local-aws/github-oidc";
import { synthStages, type SynthesizedStage } from "@textcat/local-aws/synth-stack";
import { buildFromDockerfile } from "@textcat/local-aws/docker";
import { startLocalAws, type LocalAws } from "@textcat/local-aws";
import { pushAuthEnv } from "@textcat/action-train-and-commit/git";
import { classify, type Classification } from "./classify.js";
import { strict } from "./expressions.js";
import { eventPayload } from "./events.js";
import {
  FORK_REPOSITORY,
  JOBS,
  LOCAL_REPOSITORY,
  MAIN,
  STORY_REPOSITORY,
  type AttackerJob,
  type WorkflowJob,
} from "./github-jobs.js";
import { runAction, type ActionContext, type ActionRun } from "./run-action.js";
import { createScratchRepo, type ScratchRepo } from "./scratch-repo.js";
import { GitHubSite } from "./github-site.js";
import { ensureServices, type Services } from "./services.js";
import { actionInputs, readAction } from "./workflow-files.js";
import {
  WorkflowRun,
  type AwsCredentials,
  type JobHost,
  type JobResult,
  type JobSpec,
  type StoryEvent,
} from "./workflow-run.js";
/**
 * What deploys the stack (CloudFormation's part: the repository and the function) and what the story
 * reads state with; the workflow jobs never hold it, they get role sessions from STS.
 */
export const ADMINISTRATOR_KEY = "local-administrator";
export const FIXTURE_GOLDEN = resolve(import.meta.dirname, "../fixture-golden.json");

export interface SessionOptions {
  repoRoot: string;
  registryUrl?: string;
  region?: string;
  /** Action and container output, line by line. */
  echo?: (line: string) => void;
  /** The stack's provisionedConcurrency context: > 0 grants the deploy role what promote's warm-up calls. */
  provisionedConcurrency?: number;
}

/** What the story's promotes warm each new version with, unless told otherwise. */
export const STORY_PROVISIONED_CONCURRENCY = 2;

export interface TimelineRow {
  step: string;
  seconds: number;
  digest?: string;
  version?: string;
  note?: string;
}

/** What the story gives a workflow run beyond the workflow file (see workflowRun). */
export interface LocalInputs {
  /** Golden requests/examples the story's data answers. */
  golden: string;
  /** Training data for train-and-commit ("fixture" unless told). */
  data?: string;
  /** Repository variables to add or replace. */
  vars?: Record<string, string>;
}

export interface BuiltImage {
  digest: string;
  imageUri: string;
  contentKey: string;
  reused: boolean;
  run: ActionRun;
}

/** Everything one local pipeline needs: services, the AWS stand-in, a scratch clone, and the actions. */
export class PipelineSession implements JobHost {
  readonly timeline: TimelineRow[] = [];
  readonly lambda: LambdaClient;
  readonly ecr: ECRClient;
  /** One ECR repository per run: its images are this story's, built (or reused) by it alone. */
  readonly repository: string;
  readonly functionName: string;
  readonly region: string;
  private baseImage: string | undefined;

  private constructor(
    readonly options: SessionOptions,
    readonly services: Services,
    readonly aws: LocalAws,
    readonly repo: ScratchRepo,
    /** The stack of service/infra for this run (its own project name), whose IAM the stand-in enforces. */
    readonly stage: SynthesizedStage,
    /** The GitHub stand-in the jobs' REST calls and git pushes go to. */
    readonly github: GitHubSite,
    /** The dev stage's stack: its function deploys from prod's repository (service/infra imageStage). */
    readonly devStage: SynthesizedStage,
  ) {
    this.repository = stage.names.repositoryName;
    this.functionName = stage.names.functionName;
    this.region = options.region ?? "us-east-1";
    const config = {
      endpoint: aws.endpoint,
      region: this.region,
      credentials: { accessKeyId: ADMINISTRATOR_KEY, secretAccessKey: "local" },
    };
    this.lambda = new LambdaClient(config);
    this.ecr = new ECRClient(config);
  }

  static async open(options: SessionOptions): Promise<PipelineSession> {
    const registryUrl = options.registryUrl ?? "http://127.0.0.1:5000";
    const services = await ensureServices(options.repoRoot, registryUrl);
    const project = `tl${crypto.randomUUID().slice(0, 8)}`;
    const [devStage, stage] = synthStages(project, ["dev", "prod"], {
      github: `${LOCAL_REPOSITORY.owner}@${LOCAL_REPOSITORY.ownerId}/${LOCAL_REPOSITORY.name}@${LOCAL_REPOSITORY.id}`,
      provisionedConcurrency: String(options.provisionedConcurrency ?? STORY_PROVISIONED_CONCURRENCY),
    }) as [SynthesizedStage, SynthesizedStage];
    const aws = await startLocalAws({
      registryUrl,
      region: options.region,
      verbose: false,
      iam: { templates: [devStage.template, stage.template], administratorKey: ADMINISTRATOR_KEY },
    });
    const repo = await createScratchRepo(options.repoRoot).catch(async (error: unknown) => {
      await aws.close();
      throw error;
    });
    const github = await GitHubSite.open(repo).catch(async (error: unknown) => {
      await aws.close();
      await repo.remove();
      throw error;
    });
    const session = new PipelineSession(options, services, aws, repo, stage, github, devStage);
    try {
      await session.ecr.send(new CreateRepositoryCommand({ repositoryName: session.repository }));
    } catch (error) {
      await session.close();
      throw error;
    }
    return session;
  }

  /** Times a step and records it in the timeline. */
  async step<T>(
    name: string,
    work: () => Promise<T>,
    describe: (result: T) => Omit<TimelineRow, "step" | "seconds"> = () => ({}),
  ): Promise<T> {
    const started = performance.now();
    const result = await work();
    this.timeline.push({ step: name, seconds: (performance.now() - started) / 1000, ...describe(result) });
    return result;
  }

  /**
   * An attacker's job, which no workflow file of the repository holds (see github-jobs.ts): a bundle run
   * with the inputs given here, after what configure-aws-credentials does with the job's OIDC token.
   */
  async action(name: string, inputs: Record<string, string>, job: AttackerJob): Promise<ActionRun> {
    const assumed = await this.credentialsFor(job);
    if ("refused" in assumed)
      return { name, exitCode: 1, seconds: 0, outputs: {}, summary: "", log: assumed.refused };
    const uses = `./action-src/${name}`;
    const event = await this.pullRequestEvent(1, "pull_request_opened");
    const contexts = { github: strict("github", { token: "", sha: event.sha }) };
    const resolved = actionInputs(readAction(this.options.repoRoot, uses), uses, inputs, contexts, name);
    return runAction(uses, resolved, this.actionContext(event, assumed));
  }

  roleArn(role: "push" | "deploy", stage: SynthesizedStage = this.stage): string {
    const name = role === "push" ? stage.names.pushRoleName : stage.names.deployRoleName;
    return `arn:aws:iam::${this.aws.iam?.identities.model.accountId ?? "000000000000"}:role/${name}`;
  }

  /** An attacker's (or a fork's) job token exchanged for a role's session, or why that is refused. */
  credentialsFor(job: AttackerJob): Promise<AwsCredentials | { refused: string }> {
    const spec: WorkflowJob = JOBS[job];
    return this.exchange(spec.github, this.roleArn(spec.role, spec.stage ? this.devStage : this.stage));
  }

  private async exchange(github: GithubJob, roleArn: string): Promise<AwsCredentials | { refused: string }> {
    const claims = githubClaims(LOCAL_REPOSITORY, github, STS_AUDIENCE, Math.floor(Date.now() / 1000));
    // Forks get no id-token: configure-aws-credentials' core.getIDToken fails (src/index.ts).
    if (!claims || !this.aws.iam)
      return { refused: "configure-aws-credentials: getIDToken call failed: no OIDC token for this job" };
    const token = this.aws.iam.issuer.mint(claims);
    try {
      return await assumeRoleWithToken(this.aws.endpoint, this.region, roleArn, token);
    } catch (error) {
      const typed = error as Error;
      return { refused: `configure-aws-credentials: ${typed.name}: ${typed.message}` };
    }
  }

  // JobHost: how a workflow job's steps run on this machine.

  assumeRole(job: JobSpec, roleArn: string): Promise<AwsCredentials | { refused: string }> {
    // workflow-run.ts refuses a job without id-token: write before it gets here.
    if (job.event.name === "merge_group")
      throw new Error(`${job.workflow} job ${job.jobId}: the story mints no OIDC token for merge_group`);
    return this.exchange(
      {
        event: job.event.name,
        ref: job.event.ref,
        environment: job.environment,
        workflow: `.github/workflows/${job.workflow}`,
        fromFork: job.event.fromFork,
      },
      roleArn,
    );
  }

  githubToken(job: JobSpec): Promise<string> {
    return Promise.resolve(this.github.token(job));
  }

  runBundle(
    uses: string,
    inputs: Record<string, string>,
    job: JobSpec,
    credentials?: AwsCredentials,
  ): Promise<ActionRun> {
    return runAction(uses, inputs, this.actionContext(job.event, credentials));
  }

  private actionContext(event: StoryEvent, credentials?: AwsCredentials): ActionContext {
    return {
      credentials,
      actionsRoot: this.options.repoRoot,
      workspace: this.repo.root,
      tempDir: this.repo.tempDir,
      awsEndpoint: this.aws.endpoint,
      region: this.region,
      eventName: event.name,
      eventPayload: event.payload,
      sha: event.sha,
      ref: event.ref,
      githubApiUrl: this.github.standIn.apiUrl,
      githubServerUrl: this.github.standIn.serverUrl,
      echo: this.options.echo,
    };
  }

  // The story's events and the workflow runs they start.

  /** A pull request event on the scratch clone's HEAD, based on HEAD (the story's PRs change data only). */
  async pullRequestEvent(
    number: number,
    kind: "pull_request_opened" | "pull_request_synchronize",
    fork?: boolean,
  ): Promise<StoryEvent> {
    const head = await this.repo.head();
    const payload = eventPayload(STORY_REPOSITORY, {
      kind,
      number,
      head: { ref: headRefOf(number), sha: head, fork: fork ? FORK_REPOSITORY : undefined },
      base: { ref: "main", sha: head },
    });
    return {
      kind,
      name: "pull_request",
      payload,
      ref: `refs/pull/${number}/merge`,
      sha: head,
      fromFork: fork,
    };
  }

  /** pr.yml for a pull request opened (or pushed to) from the clone's HEAD, on the stand-in too. */
  async pullRequest(
    number: number,
    kind: "pull_request_opened" | "pull_request_synchronize",
    local: LocalInputs,
    fork?: boolean,
  ): Promise<WorkflowRun> {
    const event = await this.pullRequestEvent(number, kind, fork);
    await this.github.openPullRequest(number, headRefOf(number), event.sha, fork ?? false);
    return this.workflowRun("pr.yml", event, local);
  }

  /** The merge button: main becomes the clone's HEAD on the stand-in. */
  merge(number: number): Promise<string> {
    return this.github.merge(number);
  }

  /** deploy.yml for a push to main from `before` to HEAD. */
  async pushToMain(before: string, message: string, local: LocalInputs): Promise<WorkflowRun> {
    const after = await this.repo.head();
    const payload = eventPayload(STORY_REPOSITORY, { kind: "push", ref: MAIN, before, after, message });
    const event: StoryEvent = { kind: "push", name: "push", payload, ref: MAIN, sha: after };
    return this.workflowRun("deploy.yml", event, local);
  }

  /** rollback.yml as Actions → rollback → Run starts it. */
  async dispatchRollback(inputs: Record<string, string>, local: LocalInputs): Promise<WorkflowRun> {
    const sha = await this.repo.head();
    const payload = eventPayload(STORY_REPOSITORY, {
      kind: "workflow_dispatch",
      ref: MAIN,
      workflow: ".github/workflows/rollback.yml",
      inputs,
    });
    const event: StoryEvent = {
      kind: "workflow_dispatch",
      name: "workflow_dispatch",
      payload,
      ref: MAIN,
      sha,
    };
    return this.workflowRun("rollback.yml", event, local);
  }

  /**
   * A workflow run whose jobs read this session's repository variables (`local.vars` adds to or
   * replaces some), with the story's own inputs on top of the workflow's (overrides below).
   */
  async workflowRun(workflow: string, event: StoryEvent, local: LocalInputs): Promise<WorkflowRun> {
    const { golden, data = "fixture", vars = {} } = local;
    // What the story gives that the workflows do not: its training data (a fixture, not the 20news
    // download), the golden files that data answers, and the local stand-in base image (no pull
    // from public ECR).
    const overrides = {
      "./.github/actions/train-and-commit": {
        "train-command": `npm run train -- --data ${data} --config default --out model/artifacts --quiet`,
        "golden-examples": golden,
      },
      "./.github/actions/build-test-push": { "base-image": await this.standinBase() },
      "./.github/actions/promote": { "golden-requests": golden },
      "./.github/actions/rollback": { "golden-requests": golden },
    };
    return new WorkflowRun(this, {
      root: this.options.repoRoot,
      workflow,
      event,
      vars: {
        AWS_ROLE_ARN: this.roleArn("push"),
        AWS_REGION: this.region,
        ECR_REPOSITORY: this.repository,
        FUNCTION_NAME: this.functionName,
        // The dev stage (deploy.yml `dev`): its function, and its deploy role, which trusts main.
        DEV_FUNCTION_NAME: this.devStage.names.functionName,
        DEV_ROLE_ARN: this.roleArn("deploy", this.devStage),
        ...vars,
      },
      // The `production` environment's AWS_ROLE_ARN is the deploy role (service/infra/README.md).
      environments: { production: { AWS_ROLE_ARN: this.roleArn("deploy") } },
      overrides,
    });
  }

  /** deploy.yml `gate`: gate-check reads the quality gate's statuses from the stand-in. */
  async gate(run: WorkflowRun): Promise<JobResult> {
    return mustJob(await run.job("gate"));
  }

  /** pr.yml `train` after `changes` (see below), with the data and golden examples the story trains on. */
  async train(run: WorkflowRun): Promise<JobResult> {
    // gate-check compares model/ with the PR's base; the story's PRs change the training data, which
    // lives outside the repository, so the decision is the one a changed model/ would give.
    run.assume("changes", { retrain: "true" }, "the story's PRs change data outside model/");
    const job = mustJob(await run.job("train"));
    // train-and-commit pushed the artifacts commit to the PR's branch through the stand-in.
    await this.github.refreshPullRequest(Number(run.options.event.payload.number));
    return job;
  }

  /** pr.yml for a PR that changes nothing under model/: `changes` says no retrain, `train` is skipped. */
  async noRetrain(run: WorkflowRun): Promise<JobResult> {
    run.assume("changes", { retrain: "false" }, "the PR changes nothing under model/");
    const train = await run.job("train");
    if (train.result !== "skipped") throw new Error(`pr.yml train ran (${train.result}) with retrain false`);
    return train;
  }

  /** build-test-push in pr.yml (a PR) or deploy.yml (push to main), with the push role. */
  async buildTestPush(run: WorkflowRun): Promise<BuiltImage> {
    const job = mustJob(await run.job("image"));
    const image = job.runs.at(-1);
    if (!image) throw new Error(`${run.options.workflow} job image ran no build-test-push`);
    return {
      digest: job.outputs.digest ?? "",
      imageUri: job.outputs["image-uri"] ?? "",
      contentKey: job.outputs["content-key"] ?? "",
      reused: job.outputs.reused === "true",
      run: image,
    };
  }

  /** What infrastructure code (CDK) does once: the function, created on the first tested image. */
  async createFunction(imageUri: string, functionName = this.functionName): Promise<void> {
    await this.lambda.send(
      new CreateFunctionCommand({
        FunctionName: functionName,
        Role: "arn:aws:iam::000000000000:role/textcat-local",
        PackageType: "Image",
        Code: { ImageUri: imageUri },
        Timeout: 30,
        MemorySize: 1024,
      }),
    );
    await waitUntilFunctionActiveV2(
      { client: this.lambda, maxWaitTime: 300 },
      { FunctionName: functionName },
    );
  }

  /**
   * deploy.yml `promote` of a tested image: the run's `image` job stands for the one that found it and
   * `gate` for the quality gate it passed; `vars` are the repository variables of that deploy.
   */
  async promote(image: BuiltImage, golden: string, vars: Record<string, string> = {}): Promise<ActionRun> {
    // These extra promotes exercise production alone: with no dev function named, deploy.yml skips `dev`.
    const deployVars = { DEV_FUNCTION_NAME: "", ...vars };
    const deployRun = await this.pushToMain(await this.repo.head(), "deploy", { golden, vars: deployVars });
    return this.promoteIn(deployRun, image);
  }

  /**
   * deploy.yml `dev` in a run whose `image` job found `image`: the tested digest promoted to the dev
   * function with the dev deploy role. Its `image-uri` output is what `promote` deploys next.
   */
  async promoteDevIn(deployRun: WorkflowRun, image: BuiltImage): Promise<JobResult> {
    this.assumeTested(deployRun, image);
    return mustJob(await deployRun.job("dev"));
  }

  /**
   * deploy.yml `promote` in a run whose `image` job found `image`, after its `dev` job (run here if the
   * story has not run it); a run whose `gate` did not run (the end-to-end test's extra promotes) takes
   * it as passed.
   */
  async promoteIn(deployRun: WorkflowRun, image: BuiltImage): Promise<ActionRun> {
    this.assumeTested(deployRun, image);
    if (!deployRun.results.has("dev")) {
      // Skipped when the run names no dev function. A failed dev skips promote (its `if:` calls
      // failure()); the caller sees the dev step that failed.
      const dev = await deployRun.job("dev");
      if (dev.result === "failure") return this.lastRun(dev, "dev");
    }
    return this.lastRun(await deployRun.job("promote"), "promote");
  }

  private assumeTested(deployRun: WorkflowRun, image: BuiltImage): void {
    if (!deployRun.results.has("image"))
      deployRun.assume(
        "image",
        {
          "image-uri": image.imageUri,
          digest: image.digest,
          "content-key": image.contentKey,
          reused: String(image.reused),
        },
        "the image build-test-push tested",
      );
    if (!deployRun.results.has("gate"))
      deployRun.assume("gate", {}, "the quality gate passed these artifacts earlier in the story");
  }

  /**
   * What pr.yml `train` of a fork's PR would push, with the token GitHub gives that job (its
   * workflow's grants, read-only for a fork): refused by the stand-in's smart HTTP. Returns git's
   * `remote:` line.
   */
  async forkPush(pr: WorkflowRun): Promise<string> {
    const token = this.github.token(pr.spec("train"));
    const env = {
      ...process.env,
      GIT_TERMINAL_PROMPT: "0",
      ...pushAuthEnv({ token, serverUrl: this.github.standIn.serverUrl }),
    };
    const number = Number(pr.options.event.payload.number);
    try {
      await run(
        "git",
        ["-C", this.repo.root, "push", "--quiet", "origin", `HEAD:refs/heads/${headRefOf(number)}-retrained`],
        { env, quiet: true },
      );
    } catch (error) {
      const stderr = error instanceof CommandError ? error.stderr : String(error);
      return (
        stderr.split("\n").find((line) => line.startsWith("remote:")) ??
        stderr.trim().split("\n").at(-1) ??
        ""
      );
    }
    throw new Error("the fork PR's token pushed to the repository");
  }

  /** promote run by a PR job with the role PRs get (an attacker's workflow: no such job exists). */
  promoteAsPullRequest(image: BuiltImage, golden: string): Promise<ActionRun> {
    const inputs = {
      "function-name": this.functionName,
      "image-uri": image.imageUri,
      "golden-requests": golden,
      "aws-region": this.region,
    };
    return this.action("promote", inputs, "prAsPromoter");
  }

  /** rollback.yml, dispatched with its inputs. */
  async rollback(golden: string, toVersion = ""): Promise<ActionRun> {
    const run = await this.dispatchRollback({ "to-version": toVersion }, { golden });
    return this.lastRun(await run.job("rollback"), "rollback");
  }

  /** The bundle run a job ended with, or why it ended before one ran (for the callers that read logs). */
  private lastRun(job: JobResult, name: string): ActionRun {
    const last = job.runs.at(-1);
    if (last && (job.result === "success" || job.failure?.log === last.log)) return last;
    const log = job.failure?.log ?? `${name}: job ${job.jobId} ${job.result}`;
    return { name, exitCode: 1, seconds: 0, outputs: {}, summary: "", log };
  }

  /** Invocations of a published version of the function that met a container still to initialize. */
  coldStarts(version: string): number {
    return this.aws.invoker.coldStarts(`${this.functionName}:${version}:`);
  }

  /** Through the alias as the HTTP API does (API Gateway invokes it; here the story's own key). */
  classify(text: string, qualifier = "live"): Promise<Classification> {
    return classify(this.lambda, this.functionName, qualifier, text);
  }

  /** The version the alias serves and the digest that version runs (read back from the stand-in). */
  async serving(
    alias = "live",
    functionName = this.functionName,
  ): Promise<{ version: string; digest: string; weights: Record<string, number> }> {
    const current = await this.lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: alias }));
    const version = current.FunctionVersion ?? "";
    const config = await this.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: version }),
    );
    return {
      version,
      digest: `sha256:${config.CodeSha256 ?? ""}`,
      weights: current.RoutingConfig?.AdditionalVersionWeights ?? {},
    };
  }

  /** Commits a change to the scratch clone (a PR merged to main). */
  async commit(message: string): Promise<string> {
    await this.repo.git("add", "-A", "model/artifacts", "service");
    await this.repo.git("commit", "--quiet", "--allow-empty", "-m", message);
    return this.repo.head();
  }

  /**
   * The second PR's data: the fixture corpus written out with two documents per label added (a
   * different model that still answers the golden requests). Undefined for other data.
   */
  async grownFixture(data: string): Promise<string | undefined> {
    if (data !== "fixture") return undefined;
    const dir = join(this.repo.tempDir, "fixture-grown");
    await run(process.execPath, [this.tsx(), "model/src/cli/write-fixture.ts", "--out", dir], {
      cwd: this.repo.root,
      quiet: true,
    });
    const train = join(dir, "fixture-train");
    for (const label of await readdir(train)) {
      for (const name of ["001.txt", "002.txt"])
        await copyFile(join(train, label, name), join(train, label, `9${name}`));
    }
    return dir;
  }

  /** A change to a file that goes into the image (Dockerfile metadata): a new image, same behaviour. */
  async changeDockerfile(note: string): Promise<string> {
    await appendFile(join(this.repo.root, "service/Dockerfile"), `LABEL org.textcat.change="${note}"\n`);
    return this.commit(`service: ${note}`);
  }

  async close(): Promise<void> {
    await this.ecr
      .send(new DeleteRepositoryCommand({ repositoryName: this.repository, force: true }))
      .catch(() => undefined);
    await this.aws.close();
    await this.github.close();
    await removeLocalImages(`${new URL(this.aws.registryUrl).host}/${this.repository}`);
    await this.repo.remove();
    await this.services.stop();
  }

  private tsx(): string {
    return join(this.options.repoRoot, "node_modules/tsx/dist/cli.mjs");
  }

  private async standinBase(): Promise<string> {
    if (!this.baseImage) {
      const stdout = await run(process.execPath, [this.tsx(), "service/scripts/image-base.ts"], {
        cwd: this.repo.root,
        quiet: true,
      });
      this.baseImage = await withHostCa(stdout.trim().split("\n").at(-1) ?? "");
    }
    return this.baseImage;
  }
}

/**
 * Behind a TLS-inspecting proxy (NODE_EXTRA_CA_CERTS set on the host) npm inside the build stage
 * must trust the host's CA bundle, which the stand-in carries; image:build passes that only when it
 * picks the stand-in itself, while build-test-push always names a base. So the base named here is
 * the stand-in plus that one environment variable (still labelled a stand-in), built once.
 */
async function withHostCa(standin: string): Promise<string> {
  const caBundle = process.env.NODE_EXTRA_CA_CERTS;
  if (!caBundle) return standin;
  const derived = `${standin}-hostca`;
  if (await imageExists(derived)) return derived;
  await buildFromDockerfile(derived, `FROM ${standin}\nENV NODE_EXTRA_CA_CERTS=${caBundle}\n`);
  return derived;
}

/** Untags what this run's pushes and pulls left in the engine under its own repository name. */
async function removeLocalImages(repository: string): Promise<void> {
  const stdout = await run(
    "docker",
    [
      "image",
      "ls",
      "--digests",
      "--filter",
      `reference=${repository}`,
      "--format",
      "{{.Repository}}:{{.Tag}} {{.Repository}}@{{.Digest}}",
    ],
    { quiet: true },
  ).catch(() => "");
  const references = stdout
    .split(/\s+/)
    .filter((reference) => reference.startsWith(repository) && !/[:@]<none>$/.test(reference));
  if (references.length > 0)
    await run("docker", ["rmi", ...new Set(references)], { quiet: true }).catch(() => undefined);
}

const headRefOf = (number: number): string => `pipeline-local-${number}`;

/** A job that did not succeed stops the story with its failed step's last lines. */
export function mustJob(job: JobResult): JobResult {
  if (job.result !== "success") {
    const tail = (job.failure?.log ?? "").trim().split("\n").slice(-12).join("\n");
    throw new Error(
      `job ${job.jobId} ${job.result}${job.failure ? ` at ${job.failure.step}` : ""}:\n${tail}`,
    );
  }
  return job;
}

/** A failed action stops the story with its own last lines (the runner would mark the step red). */
export function must(run: ActionRun): ActionRun {
  if (run.exitCode !== 0) {
    const tail = run.log.trim().split("\n").slice(-12).join("\n");
    throw new Error(`${run.name} failed (exit ${run.exitCode}):\n${tail}`);
  }
  return run;
}
