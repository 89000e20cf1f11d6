import { CreateRepositoryCommand, DeleteRepositoryCommand, ECRClient } from "@aws-sdk/client-ecr";
import {
  CreateFunctionCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  waitUntilFunctionActiveV2,
} from "@aws-sdk/client-lambda";
import { execFile } from "node:child_process";
import { appendFile, copyFile, readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { assumeRoleWithToken, STS_AUDIENCE } from "../iam/assume-role.js";
import { githubClaims } from "../iam/github-oidc.js";
import { synthStages, type SynthesizedStage } from "../iam/synth-stack.js";
import { buildFromDockerfile } from "../lambda/docker.js";
import { startLocalAws, type LocalAws } from "../server.js";
import { classify, type Classification } from "./classify.js";
import { JOBS, LOCAL_REPOSITORY, type JobName } from "./github-jobs.js";
import { runAction, type ActionContext, type ActionRun } from "./run-action.js";
import { createScratchRepo, type ScratchRepo } from "./scratch-repo.js";
import { ensureServices, type Services } from "./services.js";

const run = promisify(execFile);
/**
 * What deploys the stack (CloudFormation's part: the repository and the function) and what the story
 * reads state with; the workflow jobs never hold it, they get role sessions from STS.
 */
export const ADMINISTRATOR_KEY = "local-administrator";
export const FIXTURE_GOLDEN = resolve(import.meta.dirname, "../../fixture-golden.json");

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

export interface BuiltImage {
  digest: string;
  imageUri: string;
  contentKey: string;
  reused: boolean;
  run: ActionRun;
}

/** Everything one local pipeline needs: services, the AWS stand-in, a scratch clone, and the actions. */
export class PipelineSession {
  readonly timeline: TimelineRow[] = [];
  readonly lambda: LambdaClient;
  readonly ecr: ECRClient;
  /** One ECR repository per run: its images are this story's, built (or reused) by it alone. */
  readonly repository: string;
  readonly functionName: string;
  private baseImage: string | undefined;

  private constructor(
    readonly options: SessionOptions,
    readonly services: Services,
    readonly aws: LocalAws,
    readonly repo: ScratchRepo,
    /** The stack of service/infra for this run (its own project name), whose IAM the stand-in enforces. */
    readonly stage: SynthesizedStage,
    /** The dev stage's stack: its function deploys from prod's repository (service/infra imageStage). */
    readonly devStage: SynthesizedStage,
  ) {
    this.repository = stage.names.repositoryName;
    this.functionName = stage.names.functionName;
    const config = {
      endpoint: aws.endpoint,
      region: options.region ?? "us-east-1",
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
    const session = new PipelineSession(options, services, aws, repo, stage, devStage);
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
   * Runs an action in a job: with `job`, first what configure-aws-credentials does (the job's OIDC
   * token → STS → role session); a job that gets no token or is refused fails there, as on GitHub.
   */
  async action(
    name: string,
    inputs: Record<string, string>,
    eventName = "push",
    job?: JobName,
  ): Promise<ActionRun> {
    let credentials: ActionContext["credentials"];
    if (job) {
      const assumed = await this.credentialsFor(job);
      if ("refused" in assumed)
        return { name, exitCode: 1, seconds: 0, outputs: {}, summary: "", log: assumed.refused };
      credentials = assumed;
    }
    const context: ActionContext = {
      credentials,
      actionsRoot: this.options.repoRoot,
      workspace: this.repo.root,
      tempDir: this.repo.tempDir,
      awsEndpoint: this.aws.endpoint,
      region: this.options.region ?? "us-east-1",
      eventName,
      eventPayload: await this.eventPayload(eventName),
      sha: await this.repo.head(),
      echo: this.options.echo,
    };
    return runAction(name, { "github-token": "", "aws-region": context.region, ...inputs }, context);
  }

  roleArn(role: "push" | "deploy", stage: SynthesizedStage = this.stage): string {
    const name = role === "push" ? stage.names.pushRoleName : stage.names.deployRoleName;
    return `arn:aws:iam::${this.aws.iam?.identities.model.accountId ?? "000000000000"}:role/${name}`;
  }

  /** The job's token exchanged for its role's session, or why the configure step would fail. */
  async credentialsFor(
    job: JobName,
  ): Promise<NonNullable<ActionContext["credentials"]> | { refused: string }> {
    const { github, role } = JOBS[job];
    const stage = "stage" in JOBS[job] ? this.devStage : this.stage;
    const claims = githubClaims(LOCAL_REPOSITORY, github, STS_AUDIENCE, Math.floor(Date.now() / 1000));
    // Forks get no id-token: configure-aws-credentials' core.getIDToken fails (src/index.ts).
    if (!claims || !this.aws.iam)
      return { refused: "configure-aws-credentials: getIDToken call failed: no OIDC token for this job" };
    const token = this.aws.iam.issuer.mint(claims);
    try {
      return await assumeRoleWithToken(
        this.aws.endpoint,
        this.options.region ?? "us-east-1",
        this.roleArn(role, stage),
        token,
      );
    } catch (error) {
      const typed = error as Error;
      return { refused: `configure-aws-credentials: ${typed.name}: ${typed.message}` };
    }
  }

  /** train-and-commit as the PR workflow runs it; the artifacts are committed to the scratch clone. */
  async train(data: string, config: string, golden: string): Promise<ActionRun> {
    const run = await this.action(
      "train-and-commit",
      {
        "train-command": `npm run train -- --data ${data} --config ${config} --out model/artifacts --quiet`,
        "golden-examples": golden,
        push: "false",
        "base-ref": "HEAD",
      },
      "pull_request",
    );
    return must(run);
  }

  /** build-test-push in pr.yml (a PR) or deploy.yml (push to main), with the push role. */
  async buildTestPush(job: "prImage" | "mainImage" = "prImage"): Promise<BuiltImage> {
    const run = must(
      await this.action(
        "build-test-push",
        { "ecr-repository": this.repository, "base-image": await this.standinBase() },
        job === "prImage" ? "pull_request" : "push",
        job,
      ),
    );
    return {
      digest: run.outputs.digest ?? "",
      imageUri: run.outputs["image-uri"] ?? "",
      contentKey: run.outputs["content-key"] ?? "",
      reused: run.outputs.reused === "true",
      run,
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

  /** promote as deploy.yml runs it (environment production, deploy role), or as another job would. */
  promote(
    image: BuiltImage,
    golden: string,
    extra: Record<string, string> = {},
    job: JobName = "promote",
  ): Promise<ActionRun> {
    const inputs = {
      "function-name": "stage" in JOBS[job] ? this.devStage.names.functionName : this.functionName,
      "image-uri": image.imageUri,
      "ecr-repository": this.repository,
      "golden-requests": golden,
      ...extra,
    };
    return this.action("promote", inputs, JOBS[job].github.event, job);
  }

  rollback(golden: string, toVersion = ""): Promise<ActionRun> {
    return this.action(
      "rollback",
      { "function-name": this.functionName, "golden-requests": golden, "to-version": toVersion },
      "workflow_dispatch",
      "rollback",
    );
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
    await run(process.execPath, [this.tsx(), "model/src/data/write-fixture.ts", dir], {
      cwd: this.repo.root,
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
    await removeLocalImages(`${new URL(this.aws.registryUrl).host}/${this.repository}`);
    await this.repo.remove();
    await this.services.stop();
  }

  private tsx(): string {
    return join(this.options.repoRoot, "node_modules/tsx/dist/cli.mjs");
  }

  private async standinBase(): Promise<string> {
    if (!this.baseImage) {
      const { stdout } = await run(process.execPath, [this.tsx(), "service/base-image/build.ts"], {
        cwd: this.repo.root,
        maxBuffer: 16 * 1024 * 1024,
      });
      this.baseImage = await withHostCa(stdout.trim().split("\n").at(-1) ?? "");
    }
    return this.baseImage;
  }

  private async eventPayload(eventName: string): Promise<Record<string, unknown>> {
    const head = await this.repo.head();
    if (eventName !== "pull_request") return { ref: "refs/heads/main", after: head };
    const repo = { full_name: "local/textcat-lambda" };
    return {
      number: 1,
      pull_request: {
        number: 1,
        head: { ref: "pipeline-local", sha: head, repo },
        base: { ref: "main", sha: head, repo },
      },
    };
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
  const present = await run("docker", ["image", "inspect", derived]).then(
    () => true,
    () => false,
  );
  if (present) return derived;
  await buildFromDockerfile(derived, `FROM ${standin}\nENV NODE_EXTRA_CA_CERTS=${caBundle}\n`);
  return derived;
}

/** Untags what this run's pushes and pulls left in the engine under its own repository name. */
async function removeLocalImages(repository: string): Promise<void> {
  const { stdout } = await run("docker", [
    "image",
    "ls",
    "--digests",
    "--filter",
    `reference=${repository}`,
    "--format",
    "{{.Repository}}:{{.Tag}} {{.Repository}}@{{.Digest}}",
  ]).catch(() => ({ stdout: "" }));
  const references = stdout
    .split(/\s+/)
    .filter((reference) => reference.startsWith(repository) && !/[:@]<none>$/.test(reference));
  if (references.length > 0) await run("docker", ["rmi", ...new Set(references)]).catch(() => undefined);
}

/** A failed action stops the story with its own last lines (the runner would mark the step red). */
export function must(run: ActionRun): ActionRun {
  if (run.exitCode !== 0) {
    const tail = run.log.trim().split("\n").slice(-12).join("\n");
    throw new Error(`${run.name} failed (exit ${run.exitCode}):\n${tail}`);
  }
  return run;
}
