/**
 * The workflow files and action metadata the story runs from, and the types the workflow tests
 * (scripts/test) read them with: a job's steps, `with:` inputs, `permissions:`, `environment`,
 * `needs` and `if:` (workflows read with the `yaml` package), and an action's declared inputs (with
 * their defaults) and outputs (action.yml read by the bundle runner's reader).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { errorMessage } from "@textcat/kit/errors";
import { readActionYml, type ActionMetadata } from "@textcat/action-shared/runner";
import { asString, interpolate, type Contexts } from "./expressions.js";

export interface Step {
  id?: string;
  name?: string;
  if?: string | boolean;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}

export type Permissions = Record<string, "read" | "write" | "none">;

export interface Job {
  name?: string;
  "timeout-minutes"?: number;
  strategy?: { matrix: Record<string, unknown> };
  needs?: string | string[];
  if?: string | boolean;
  concurrency?: unknown;
  services?: Record<string, { image: string; ports?: string[] }>;
  permissions?: Permissions | "read-all" | "write-all";
  environment?: string | { name: string; deployment?: boolean };
  outputs?: Record<string, string>;
  steps: Step[];
}

export interface Workflow {
  name?: string;
  on: Record<string, { inputs?: Record<string, { default?: unknown }> } | null>;
  permissions?: Permissions | "read-all" | "write-all";
  concurrency?: { group: string; "cancel-in-progress": boolean };
  jobs: Record<string, Job>;
}

export type ActionFile = ActionMetadata<Step>;

/** A workflow or action file that does not say what the story needs, named with its path. */
export class WorkflowFileError extends Error {}

export function readWorkflowFile(path: string): Workflow {
  let workflow: Workflow | null;
  try {
    workflow = parse(readFileSync(path, "utf8")) as Workflow | null;
  } catch (error) {
    throw new WorkflowFileError(`${path}: ${errorMessage(error)}`, { cause: error });
  }
  if (!workflow?.jobs) throw new WorkflowFileError(`${path}: no jobs`);
  return workflow;
}

export function readWorkflow(root: string, file: string): Workflow {
  return readWorkflowFile(join(root, ".github/workflows", file));
}

/** The action.yml of a local action (`./action-src/promote`, `./.github/actions/promote`). */
export function readAction(root: string, uses: string): ActionFile {
  try {
    return readActionYml<Step>(join(root, uses));
  } catch (error) {
    throw new WorkflowFileError(`${uses}: ${errorMessage(error)}`, { cause: error });
  }
}

export const needsOf = (job: Job): string[] =>
  job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];

export const environmentOf = (job: Job): string | undefined =>
  typeof job.environment === "string" ? job.environment : job.environment?.name;

/**
 * The GITHUB_TOKEN permissions of a job: its own `permissions:` replace the workflow's, and a scope
 * not named is none ("If you specify the access for any of these scopes, all of those that are not
 * specified are set to none", https://docs.github.com/en/actions/using-jobs/assigning-permissions-to-jobs),
 * so `{}` grants nothing.
 * A workflow with neither gets the repository's default, which the story does not assume: an error.
 */
export function jobPermissions(workflow: Workflow, jobId: string): Permissions {
  const declared = workflow.jobs[jobId]?.permissions ?? workflow.permissions;
  if (declared === undefined)
    throw new WorkflowFileError(`job ${jobId}: no permissions: in the job or the workflow`);
  if (typeof declared === "string")
    throw new WorkflowFileError(`job ${jobId}: permissions: ${declared} (the workflows grant per scope)`);
  return { ...declared };
}

/**
 * The INPUT_* values of one action step: its `with:` (evaluated) over the action's defaults (evaluated
 * in the caller's contexts, as the runner does for a JavaScript action). A `with:` key the action does
 * not declare, or a required input without a value, is an error here: the runner only warns
 * ("Unexpected input(s) 'x', valid inputs are [...]", https://github.com/actions/runner/pull/429), and
 * the action would silently read its default.
 */
export function actionInputs(
  action: ActionFile,
  uses: string,
  given: Record<string, unknown> | undefined,
  contexts: Contexts,
  where: string,
): Record<string, string> {
  const declared = action.inputs ?? {};
  const unexpected = Object.keys(given ?? {}).filter((name) => !Object.hasOwn(declared, name));
  if (unexpected.length > 0) {
    throw new WorkflowFileError(
      `${where}: ${uses} has no input ${unexpected.map((name) => `'${name}'`).join(", ")}` +
        ` (its action.yml declares ${Object.keys(declared).join(", ") || "none"})`,
    );
  }
  const inputs: Record<string, string> = {};
  for (const [name, input] of Object.entries(declared)) {
    const value = given && Object.hasOwn(given, name) ? given[name] : input.default;
    if (value === undefined && input.required)
      throw new WorkflowFileError(`${where}: ${uses} requires input '${name}', which is not given`);
    inputs[name] = value === undefined ? "" : evaluateValue(value, contexts, `${where} ${uses} ${name}`);
  }
  return inputs;
}

/** A YAML value (a string with `${{ }}`, a number, a boolean) as the string the runner passes on. */
export function evaluateValue(value: unknown, contexts: Contexts, where: string): string {
  if (typeof value !== "string") return asString(value as null);
  try {
    return interpolate(value, contexts);
  } catch (error) {
    throw new WorkflowFileError(`${where}: ${(error as Error).message}`, { cause: error });
  }
}
