/**
 * Test helper: the workflows in .github/workflows and the composite actions in .github/actions,
 * read with the story's readers (the same types the local pipeline runs them with), for the tests
 * that check how they fit together.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import {
  readAction,
  readWorkflowFile,
  type ActionFile,
  type Step,
  type Workflow,
} from "@textcat/pipeline-story/workflow-files";

export const ROOT = join(import.meta.dirname, "..", "..");
export const WORKFLOWS_DIR = join(ROOT, ".github", "workflows");
export const COMPOSITES_DIR = join(ROOT, ".github", "actions");

export const workflowFiles = readdirSync(WORKFLOWS_DIR).filter((f) => f.endsWith(".yml"));
export const workflows: Record<string, Workflow> = Object.fromEntries(
  workflowFiles.map((f) => [f, readWorkflowFile(join(WORKFLOWS_DIR, f))]),
);
export const compositeNames = readdirSync(COMPOSITES_DIR);
export const AWS_COMPOSITES = [
  "./.github/actions/build-test-push",
  "./.github/actions/promote",
  "./.github/actions/rollback",
];

export const localAction = (uses: string): ActionFile => readAction(ROOT, uses);

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
