/** Test helper: runs an action's committed bundle the way the runner does — `node dist/index.js`. */
import { spawn } from "node:child_process";
import { join, resolve } from "node:path";
import type { ActionEnv } from "./action-env.js";

export interface BundleRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** The `::error::` lines, without the prefix. */
  errors: string[];
}

export const ACTION_SRC = resolve(import.meta.dirname, "../..");

export function runBundle(
  action: string,
  env: ActionEnv,
  options: { cwd?: string; extraEnv?: Record<string, string> } = {},
): Promise<BundleRun> {
  const base: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" };
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [join(ACTION_SRC, action, "dist", "index.js")], {
      cwd: options.cwd ?? env.dir,
      env: { ...base, ...env.env, ...options.extraEnv },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (exitCode) => {
      const errors = stdout
        .split("\n")
        .filter((line) => line.startsWith("::error::"))
        .map((line) => line.slice("::error::".length));
      resolveRun({ exitCode, stdout, stderr, errors });
    });
  });
}
