import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { inputVariables, parseGitHubOutput, runBundle } from "@textcat/action-shared/runner";

export interface ActionRun {
  name: string;
  exitCode: number;
  seconds: number;
  outputs: Record<string, string>;
  summary: string;
  log: string;
}

export interface ActionContext {
  /** Repository holding action-src/<name>/action.yml and dist/index.js. */
  actionsRoot: string;
  /** The checkout the action works in (GITHUB_WORKSPACE). */
  workspace: string;
  tempDir: string;
  awsEndpoint: string;
  region: string;
  eventName: string;
  eventPayload: Record<string, unknown>;
  sha: string;
  /** GITHUB_REF of the event (refs/pull/1/merge, refs/heads/main). */
  ref?: string;
  /** GITHUB_API_URL and GITHUB_SERVER_URL: the GitHub stand-in, else a closed port. */
  githubApiUrl?: string;
  githubServerUrl?: string;
  /** The job's AWS credentials (what configure-aws-credentials exported); none for a job without AWS. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  echo?: (line: string) => void;
}

/**
 * Runs a bundled JavaScript action the way the GitHub runner does: INPUT_* env (the inputs resolved
 * with the action's defaults by workflow-files.ts actionInputs), command files, the event payload.
 */
export async function runAction(
  uses: string,
  inputs: Record<string, string>,
  context: ActionContext,
): Promise<ActionRun> {
  const actionDir = join(context.actionsRoot, uses);
  const name = basename(actionDir);
  const runDir = await mkdtemp(join(context.tempDir, `${name}-`));
  const files = {
    output: join(runDir, "output"),
    summary: join(runDir, "summary.md"),
    event: join(runDir, "event.json"),
    env: join(runDir, "env"),
    path: join(runDir, "path"),
    state: join(runDir, "state"),
  };
  await Promise.all([
    writeFile(files.output, ""),
    writeFile(files.summary, ""),
    writeFile(files.env, ""),
    writeFile(files.path, ""),
    writeFile(files.state, ""),
    writeFile(files.event, JSON.stringify(context.eventPayload)),
  ]);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: process.env.LANG ?? "C.UTF-8",
    NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS,
    ONNXRUNTIME_NODE_INSTALL: "skip",
    CI: "true",
    // GitHub runs these actions on node24; the SDK's notice about older Node is noise here.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: context.workspace,
    GITHUB_REPOSITORY: "local/textcat-lambda",
    GITHUB_REPOSITORY_OWNER: "local",
    GITHUB_SERVER_URL: context.githubServerUrl ?? "http://127.0.0.1",
    GITHUB_API_URL: context.githubApiUrl ?? "http://127.0.0.1:9/api",
    GITHUB_EVENT_NAME: context.eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_SHA: context.sha,
    GITHUB_REF: context.ref ?? "refs/heads/main",
    GITHUB_RUN_ID: String(Date.now()),
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_ACTOR: "local",
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path,
    GITHUB_STATE: files.state,
    RUNNER_TEMP: runDir,
    RUNNER_OS: "Linux",
    AWS_ENDPOINT_URL: context.awsEndpoint,
    AWS_REGION: context.region,
    AWS_DEFAULT_REGION: context.region,
    ...(context.credentials && {
      AWS_ACCESS_KEY_ID: context.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: context.credentials.secretAccessKey,
      AWS_SESSION_TOKEN: context.credentials.sessionToken,
    }),
    ...inputVariables(inputs),
  };

  const started = performance.now();
  const echo = context.echo;
  const { exitCode, log } = await runBundle(actionDir, env, {
    cwd: context.workspace,
    onOutput: echo && ((text) => text.split("\n").filter(Boolean).forEach(echo)),
  });
  return {
    name,
    exitCode,
    seconds: (performance.now() - started) / 1000,
    outputs: parseGitHubOutput(await readFile(files.output, "utf8")),
    summary: await readFile(files.summary, "utf8"),
    log,
  };
}
