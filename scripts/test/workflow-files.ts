/**
 * Test helper: the workflows in .github/workflows and the composite actions in .github/actions,
 * parsed with the `yaml` package, for the tests that check how they fit together.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export const ROOT = join(import.meta.dirname, "..", "..");
export const WORKFLOWS_DIR = join(ROOT, ".github", "workflows");
export const COMPOSITES_DIR = join(ROOT, ".github", "actions");

export interface ActionInput {
  required?: boolean;
  default?: unknown;
}
export interface Step {
  id?: string;
  if?: string;
  name?: string;
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
export interface ActionFile {
  inputs?: Record<string, ActionInput>;
  outputs?: Record<string, { value?: string }>;
  runs: { using: string; main?: string; steps?: Step[] };
}
export interface Job {
  name?: string;
  "timeout-minutes"?: number;
  strategy?: { matrix: { check: Array<{ name: string; run: string }> } };
  needs?: string | string[];
  concurrency?: unknown;
  services?: Record<string, { image: string; ports?: string[] }>;
  if?: string;
  permissions?: Record<string, string>;
  environment?: { name: string; deployment?: boolean } | string;
  outputs?: Record<string, string>;
  steps: Step[];
}
export interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  jobs: Record<string, Job>;
}

export const readYaml = <T>(path: string): T => parse(readFileSync(path, "utf8")) as T;
export const workflowFiles = readdirSync(WORKFLOWS_DIR).filter((f) => f.endsWith(".yml"));
export const workflows = Object.fromEntries(
  workflowFiles.map((f) => [f, readYaml<Workflow>(join(WORKFLOWS_DIR, f))]),
);
export const compositeNames = readdirSync(COMPOSITES_DIR);
export const AWS_COMPOSITES = [
  "./.github/actions/build-test-push",
  "./.github/actions/promote",
  "./.github/actions/rollback",
];

export function localAction(uses: string): ActionFile {
  const path = join(ROOT, uses, "action.yml");
  if (!existsSync(path)) throw new Error(`${uses}: no action.yml`);
  return readYaml<ActionFile>(path);
}

/** Every step of every job and composite, with where it is. */
export function allSteps(): Array<{ where: string; step: Step }> {
  const steps: Array<{ where: string; step: Step }> = [];
  for (const [file, workflow] of Object.entries(workflows)) {
    for (const [jobId, job] of Object.entries(workflow.jobs)) {
      for (const step of job.steps) steps.push({ where: `${file}:${jobId}`, step });
    }
  }
  for (const name of compositeNames) {
    for (const step of localAction(`./.github/actions/${name}`).runs.steps ?? []) {
      steps.push({ where: `.github/actions/${name}`, step });
    }
  }
  return steps;
}
