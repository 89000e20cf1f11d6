/**
 * One workflow run as the story plays it: each job the story runs is read from its workflow file
 * (its `needs`, `if:`, `permissions:`, `environment` and steps) and its steps are run the way the
 * runner would, with their `with:` evaluated in the contexts the story provides. What a job does
 * outside the local actions (checkout, setup-node, `run:` commands) is the host's business: the story's
 * scratch clone is the checkout and has node_modules; `run:` commands are not executed, only their
 * `env:` expressions evaluated (so they stay valid).
 */
import type { ActionRun } from "./run-action.js";
import { condition, strict, type Context, type Contexts, type Status, type Value } from "./expressions.js";
import type { EventKind } from "./events.js";
import {
  actionInputs,
  environmentOf,
  evaluateValue,
  jobPermissions,
  needsOf,
  readAction,
  readWorkflow,
  WorkflowFileError,
  type ActionFile,
  type Permissions,
  type Step,
  type Workflow,
} from "./workflow-files.js";

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

/** What GitHub and the story know about a job when it starts. */
export interface JobSpec {
  /** e.g. "deploy.yml" */
  workflow: string;
  jobId: string;
  permissions: Permissions;
  environment?: string;
  event: StoryEvent;
}

export interface StoryEvent {
  kind: EventKind;
  /** GITHUB_EVENT_NAME */
  name: "pull_request" | "push" | "workflow_dispatch" | "merge_group";
  payload: Record<string, unknown>;
  /** GITHUB_REF and GITHUB_SHA as GitHub sets them for this event. */
  ref: string;
  sha: string;
  /** A pull request whose head is in a fork. */
  fromFork?: boolean;
}

/** What runs a job's steps on this machine: the session. */
export interface JobHost {
  /** aws-actions/configure-aws-credentials: the job's OIDC token exchanged for the role's session. */
  assumeRole(job: JobSpec, roleArn: string): Promise<AwsCredentials | { refused: string }>;
  /** GITHUB_TOKEN with the job's permissions ("" when there is no GitHub to give one). */
  githubToken(job: JobSpec): Promise<string>;
  /** A JavaScript action (`./action-src/…`) with its resolved inputs. */
  runBundle(
    uses: string,
    inputs: Record<string, string>,
    job: JobSpec,
    credentials?: AwsCredentials,
  ): Promise<ActionRun>;
}

export interface JobResult {
  jobId: string;
  result: "success" | "failure" | "skipped";
  outputs: Record<string, string>;
  /** Every bundle the job ran, in order. */
  runs: ActionRun[];
  /** The step that failed, with its log. */
  failure?: { step: string; log: string };
  /** Steps not executed on this machine, and why. */
  notRun: string[];
}

export interface RunOptions {
  /** The checkout whose .github/ and action-src/ the story runs. */
  root: string;
  workflow: string;
  event: StoryEvent;
  /** Repository variables (vars.*); an environment's variables override them in its jobs. */
  vars: Record<string, string>;
  environments: Record<string, Record<string, string>>;
  secrets?: Record<string, string>;
  /**
   * The story's own deviations from the workflow, by action (`./.github/actions/promote`): inputs
   * the story gives on top of the step's `with:` (its fixture data, its stand-in base image), each
   * still checked against the action's declared inputs.
   */
  overrides?: Record<string, Record<string, string>>;
}

/** Remote actions whose work the story's host does itself (see the header). */
const HOST_DOES = ["actions/checkout@", "actions/setup-node@"];
const CONFIGURE_AWS = "aws-actions/configure-aws-credentials@";

const STATUS_FUNCTION = /\b(success|failure|always|cancelled)\s*\(/;

interface StepScope {
  steps: Context;
  contexts: Contexts;
  job: JobSpec;
  state: { credentials?: AwsCredentials; token: string };
  record: JobResult;
}

export class WorkflowRun {
  readonly workflow: Workflow;
  readonly results = new Map<string, JobResult>();
  /** Jobs that failed or have a failed ancestor: failure() in their dependents' `if:`. */
  private readonly failedChains = new Set<string>();

  constructor(
    private readonly host: JobHost,
    readonly options: RunOptions,
  ) {
    this.workflow = readWorkflow(options.root, options.workflow);
  }

  /** A job the story does not run, with the result and outputs it stands in for (and why). */
  assume(jobId: string, outputs: Record<string, string>, why: string): void {
    const job = this.workflow.jobs[jobId];
    if (!job) throw new WorkflowFileError(`${this.options.workflow} has no job ${jobId}`);
    const declared = Object.keys(job.outputs ?? {});
    const unknown = Object.keys(outputs).filter((name) => !declared.includes(name));
    if (unknown.length > 0)
      throw new WorkflowFileError(
        `${this.options.workflow} job ${jobId} has no output ${unknown.join(", ")}`,
      );
    this.results.set(jobId, {
      jobId,
      result: "success",
      outputs: Object.fromEntries(declared.map((name) => [name, outputs[name] ?? ""])),
      runs: [],
      notRun: [`${jobId}: ${why}`],
    });
  }

  /** The job spec GitHub would start `jobId` with. */
  spec(jobId: string): JobSpec {
    const job = this.workflow.jobs[jobId];
    if (!job) throw new WorkflowFileError(`${this.options.workflow} has no job ${jobId}`);
    return {
      workflow: this.options.workflow,
      jobId,
      permissions: jobPermissions(this.workflow, jobId),
      environment: environmentOf(job),
      event: this.options.event,
    };
  }

  /** Runs one job after the jobs it needs, as its workflow file says. */
  async job(jobId: string): Promise<JobResult> {
    const spec = this.spec(jobId);
    const job = this.workflow.jobs[jobId]!;
    const needs = needsOf(job);
    const missing = needs.filter((need) => !this.results.has(need));
    if (missing.length > 0) {
      throw new WorkflowFileError(
        `${this.options.workflow} job ${jobId} needs ${missing.join(", ")}, which the story has not run`,
      );
    }
    const record: JobResult = { jobId, result: "success", outputs: {}, runs: [], notRun: [] };
    const token = await this.host.githubToken(spec);
    const contexts = this.contexts(spec, needs, token);
    const where = `${this.options.workflow} job ${jobId}`;
    // A job `if:` without a status function is taken as `success() && (if)`: every needed job succeeded
    // (https://docs.github.com/actions/learn-github-actions/expressions, "Status check functions").
    const neededSucceeded = needs.every((need) => this.results.get(need)?.result === "success");
    const ancestorFailed = needs.some((need) => this.failedChains.has(need));
    if (ancestorFailed) this.failedChains.add(jobId);
    const ifText = job.if;
    const runs =
      typeof ifText === "string" && STATUS_FUNCTION.test(ifText)
        ? this.decide(ifText, contexts, where, { failed: ancestorFailed })
        : neededSucceeded && this.decide(ifText, contexts, where);
    // A job that did not succeed has its declared outputs, empty.
    for (const name of Object.keys(job.outputs ?? {})) record.outputs[name] = "";
    if (!runs) {
      record.result = "skipped";
      this.results.set(jobId, record);
      return record;
    }
    const steps = strict(`${where} steps`, {});
    const scope: StepScope = { steps, contexts: { ...contexts, steps }, job: spec, state: { token }, record };
    await this.runSteps(job.steps, scope, where);
    if (record.result === "success") {
      for (const [name, value] of Object.entries(job.outputs ?? {}))
        record.outputs[name] = evaluateValue(value, scope.contexts, `${where} outputs.${name}`);
    }
    if (record.result === "failure") this.failedChains.add(jobId);
    this.results.set(jobId, record);
    return record;
  }

  private decide(
    text: string | boolean | undefined,
    contexts: Contexts,
    where: string,
    status?: Status,
  ): boolean {
    try {
      return condition(text, contexts, status);
    } catch (error) {
      throw new WorkflowFileError(`${where} if: ${(error as Error).message}`, { cause: error });
    }
  }

  private contexts(spec: JobSpec, needs: string[], token: string): Contexts {
    const { event } = this.options;
    const payload = event.payload as { pull_request?: { head?: { ref?: string }; base?: { ref?: string } } };
    const environmentVars = spec.environment ? (this.options.environments[spec.environment] ?? {}) : {};
    const dispatchInputs = this.workflow.on.workflow_dispatch?.inputs ?? {};
    const given = (event.payload.inputs ?? {}) as Record<string, string>;
    return {
      github: strict("github", {
        token,
        sha: event.sha,
        ref: event.ref,
        event_name: event.name,
        event: event.payload as Context,
        repository: String((event.payload.repository as { full_name?: string }).full_name ?? ""),
        repository_owner: String(
          (event.payload.repository as { owner?: { login?: string } }).owner?.login ?? "",
        ),
        head_ref: payload.pull_request?.head?.ref ?? "",
        base_ref: payload.pull_request?.base?.ref ?? "",
        run_id: String(Date.now()),
        workflow: this.workflow.name ?? this.options.workflow,
        job: spec.jobId,
      }),
      // An unset variable or secret is empty: deploy.yml's `vars.X || 'default'` fallbacks rely on it
      // (https://docs.github.com/en/actions/reference/workflows-and-actions/expressions#operators).
      vars: { ...this.options.vars, ...environmentVars },
      secrets: { ...this.options.secrets },
      inputs: strict(
        `${this.options.workflow} inputs`,
        Object.fromEntries(
          Object.entries(dispatchInputs).map(([name, input]) => [
            name,
            given[name] ?? (input?.default as Value) ?? "",
          ]),
        ),
      ),
      needs: strict(
        `${this.options.workflow} job ${spec.jobId} needs`,
        Object.fromEntries(
          needs.map((need) => {
            const result = this.results.get(need)!;
            return [
              need,
              {
                result: result.result,
                outputs: strict(`needs.${need}.outputs`, result.outputs),
              },
            ];
          }),
        ),
      ),
    };
  }

  private async runSteps(steps: Step[], scope: StepScope, where: string): Promise<void> {
    for (const [index, step] of steps.entries()) {
      const label = `${where} step ${step.id ?? step.name ?? step.uses ?? index + 1}`;
      const declaredOutputs = step.uses?.startsWith("./") ? this.outputNames(step.uses) : undefined;
      if (!this.decide(step.if, scope.contexts, label)) {
        if (step.id) scope.steps[step.id] = stepRecord(label, declaredOutputs, {}, "skipped");
        continue;
      }
      const outputs = await this.runStep(step, scope, label);
      if (scope.record.result === "failure") return;
      if (step.id) scope.steps[step.id] = stepRecord(label, declaredOutputs, outputs, "success");
    }
  }

  private outputNames(uses: string): string[] {
    return Object.keys(readAction(this.options.root, uses).outputs ?? {});
  }

  private async runStep(step: Step, scope: StepScope, label: string): Promise<Record<string, string>> {
    const evaluateAll = (values: Record<string, unknown> | undefined, what: string) =>
      Object.fromEntries(
        Object.entries(values ?? {}).map(([name, value]) => [
          name,
          evaluateValue(value, scope.contexts, `${label} ${what}.${name}`),
        ]),
      );
    if (step.run !== undefined) {
      evaluateAll(step.env, "env");
      scope.record.notRun.push(`${label}: run: ${step.run.split("\n")[0]?.slice(0, 60)}`);
      return {};
    }
    const uses = step.uses ?? "";
    if (HOST_DOES.some((prefix) => uses.startsWith(prefix))) {
      evaluateAll(step.with, "with");
      return {};
    }
    if (uses.startsWith(CONFIGURE_AWS)) {
      const given = evaluateAll(step.with, "with");
      const assumed = hasIdToken(scope.job)
        ? await this.host.assumeRole(scope.job, given["role-to-assume"] ?? "")
        : {
            refused: `configure-aws-credentials: ${scope.job.workflow} job ${scope.job.jobId} has no id-token: write: Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable`,
          };
      if ("refused" in assumed) {
        scope.record.result = "failure";
        scope.record.failure = { step: label, log: assumed.refused };
        return {};
      }
      // The action exports the session to the job's environment: every later step has it.
      scope.state.credentials = assumed;
      return {};
    }
    if (!uses.startsWith("./")) throw new WorkflowFileError(`${label}: the local story cannot run ${uses}`);
    const action = readAction(this.options.root, uses);
    const given = { ...step.with, ...this.options.overrides?.[uses] };
    const inputs = actionInputs(action, uses, given, scope.contexts, label);
    if (action.runs.using === "composite") return this.composite(action, uses, inputs, scope, label);
    const run = await this.host.runBundle(uses, inputs, scope.job, scope.state.credentials);
    scope.record.runs.push(run);
    if (run.exitCode !== 0) {
      scope.record.result = "failure";
      scope.record.failure = { step: label, log: run.log };
    }
    return run.outputs;
  }

  /** A composite action: its steps with its own `inputs` and `steps`, its outputs from their values. */
  private async composite(
    action: ActionFile,
    uses: string,
    inputs: Record<string, string>,
    outer: StepScope,
    label: string,
  ): Promise<Record<string, string>> {
    const steps = strict(`${uses} steps`, {});
    const contexts: Contexts = { ...outer.contexts, inputs: strict(`${uses} inputs`, inputs), steps };
    const scope: StepScope = { ...outer, steps, contexts };
    await this.runSteps(action.runs.steps ?? [], scope, `${label} > ${uses}`);
    if (outer.record.result === "failure") return {};
    return Object.fromEntries(
      Object.entries(action.outputs ?? {}).map(([name, output]) => [
        name,
        evaluateValue(output.value ?? "", contexts, `${uses} outputs.${name}`),
      ]),
    );
  }
}

/**
 * Without `id-token: write` the runner sets no ACTIONS_ID_TOKEN_REQUEST_URL and @actions/core's
 * getIDToken fails with "Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable"
 * (actions/toolkit packages/core/src/oidc-utils.ts; https://github.com/actions/toolkit/issues/952).
 */
const hasIdToken = (job: JobSpec): boolean => job.permissions["id-token"] === "write";

/**
 * A step in the `steps` context. A local action's outputs are the names its action.yml declares, so
 * reading one it does not declare is an error; a declared output the step did not set is empty.
 */
function stepRecord(
  label: string,
  declared: string[] | undefined,
  outputs: Record<string, string>,
  outcome: "success" | "skipped",
): Context {
  return {
    outcome,
    conclusion: outcome,
    // A remote action's action.yml is not on this machine: its outputs are read leniently.
    outputs: declared
      ? strict(`${label} outputs`, Object.fromEntries(declared.map((name) => [name, outputs[name] ?? ""])))
      : { ...outputs },
  };
}
