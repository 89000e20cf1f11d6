/** Test helper: runs an action's committed bundle the way the runner does — `node dist/index.js`. */
import { join, resolve } from "node:path";
import { runBundle as runActionBundle } from "../runner/runner.js";
import type { ActionEnv } from "./action-env.js";

export interface BundleRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** The `::error::` lines, without the prefix. */
  errors: string[];
}

export const ACTION_SRC = resolve(import.meta.dirname, "../..");

export async function runBundle(
  action: string,
  env: ActionEnv,
  options: { cwd?: string; extraEnv?: Record<string, string> } = {},
): Promise<BundleRun> {
  const base: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" };
  const run = await runActionBundle(
    join(ACTION_SRC, action),
    { ...base, ...env.env, ...options.extraEnv },
    {
      cwd: options.cwd ?? env.dir,
    },
  );
  const errors = run.stdout
    .split("\n")
    .filter((line) => line.startsWith("::error::"))
    .map((line) => line.slice("::error::".length));
  return { exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr, errors };
}
