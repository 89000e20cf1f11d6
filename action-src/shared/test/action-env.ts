/**
 * Test helper: gives a test the environment a runner gives an action (INPUT_* variables, the
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files) and reads back what the action wrote.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inputDefaults, inputVariable, parseGitHubOutput, readActionYml } from "../runner/runner.js";
import { ACTION_SRC } from "./run-bundle.js";

export { inputVariable, parseGitHubOutput };

export interface ActionEnv {
  readonly dir: string;
  /** The env a child process (e.g. `node dist/index.js`) should get. */
  readonly env: Record<string, string>;
  outputs(): Record<string, string>;
  summary(): string;
  /** Puts process.env and process.exitCode back and removes the temp files. */
  restore(): void;
}

/** Sets the inputs (and extra variables) on process.env; any other INPUT_* is removed. */
export function setupActionEnv(
  inputs: Record<string, string>,
  extra: Record<string, string> = {},
): ActionEnv {
  const saved = { ...process.env };
  // One fixed folder per test process: @actions/core caches the summary file's path after first use.
  const dir = join(tmpdir(), `action-env-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const outputFile = join(dir, "github_output");
  const summaryFile = join(dir, "step_summary");
  writeFileSync(outputFile, "");
  writeFileSync(summaryFile, "");
  for (const key of Object.keys(process.env)) if (key.startsWith("INPUT_")) delete process.env[key];
  const env: Record<string, string> = {
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    ...extra,
  };
  for (const [name, value] of Object.entries(inputs)) env[inputVariable(name)] = value;
  Object.assign(process.env, env);
  return {
    dir,
    env,
    outputs: () => parseGitHubOutput(readFileSync(outputFile, "utf8")),
    summary: () => readFileSync(summaryFile, "utf8"),
    restore: () => {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
      process.exitCode = undefined;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * setupActionEnv for one action: its action.yml defaults are set under the given inputs, as the
 * runner does, so the code reads every default from action.yml alone.
 */
export function actionEnvFor(action: string): typeof setupActionEnv {
  const defaults = inputDefaults(readActionYml(join(ACTION_SRC, action)));
  return (inputs, extra) => setupActionEnv({ ...defaults, ...inputs }, extra);
}
