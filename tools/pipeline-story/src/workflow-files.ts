/**
 * The workflow files and action metadata the story runs from, read with the `yaml` package: a job's
 * steps, `with:` inputs, `permissions:`, `environment`, `needs` and `if:`, and an action's declared
 * inputs (with their defaults) and outputs.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
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
  needs?: string | string[];
  if?: string | boolean;
  permissions?: Permissions | "read-all" | "write-all";
  environment?: string | { name: string; deployment?: boolean };
  outputs?: Record<string, string>;
  steps: Step[];
}

export interface Workflow {
  name?: string;
  on: Record<string, { inputs?: Record<string, { default?: unknown }> } | null>;
  permissions?: Permissions | "read-all" | "write-all";
  jobs: Record<string, Job>;
}

export interface ActionInput {
  description?: string;
  required?: boolean;
  default?: unknown;
}

export interface ActionFile {
  inputs?: Record<string, ActionInput>;
  outputs?: Record<string, { value?: string }>;
  runs: { using: string; main?: string; post?: string; steps?: Step[] };
}

/** A workflow or action file that does not say what the story needs, named with its path. */
export class WorkflowFileError extends Error {}

function readYaml<T>(path: string): T {
  try {
    return parse(readFileSync(path, "utf8")) as T;
  } catch (error) {
    throw new WorkflowFileError(`${path}: ${(error as Error).message}`, { cause: error });
  }
}

export function readWorkflow(root: string, file: string): Workflow {
  const path = join(root, ".github/workflows", file);
  const workflow = readYaml<Workflow>(path);
  if (!workflow?.jobs) throw new WorkflowFileError(`${path}: no jobs`);
  return workflow;
}

/** The action.yml of a local action (`./action-src/promote`, `./.github/actions/promote`). */
export function readAction(root: string, uses: string): ActionFile {
  const path = join(root, uses, "action.yml");
  if (!existsSync(path)) throw new WorkflowFileError(`${uses}: no action.yml at ${path}`);
  const action = readYaml<ActionFile>(path);
  if (!action?.runs?.using) throw new WorkflowFileError(`${path}: no runs.using`);
  return action;
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
