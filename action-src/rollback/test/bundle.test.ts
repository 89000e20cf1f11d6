import { existsSync } from "node:fs";
import { afterEach, describe, expect, test } from "vitest";
import type { ActionEnv } from "@textcat/action-shared/testing/action-env";
import { actionEnvFor } from "@textcat/action-shared/testing/action-env";
import { runBundle as runActionBundle } from "@textcat/action-shared/testing/run-bundle";

const setupActionEnv = actionEnvFor("rollback");

const BUNDLE = "action-src/rollback/dist/index.js";
const CASES: Array<[string, Record<string, string>, string]> = [
  ["no function name", {}, 'Input "function-name" is required'],
  [
    "a version that is not a number",
    { "function-name": "textcat", "to-version": "latest" },
    'Input "to-version" must be a published version number (1, 2, …), got "latest"',
  ],
  ["no region", { "function-name": "textcat" }, 'Input "aws-region" is required (or set AWS_REGION)'],
];
let env: ActionEnv | undefined;
afterEach(() => env?.restore());

/** Runs the committed bundle the way the runner does: node, INPUT_* variables, GITHUB_OUTPUT file. */
async function runBundle(inputs: Record<string, string>) {
  env = setupActionEnv(inputs);
  const result = await runActionBundle("rollback", env);
  return { status: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

describe("rollback bundle", () => {
  test("exists (npm run build:actions)", () => {
    expect(existsSync(BUNDLE)).toBe(true);
  });

  test.each(CASES)("%s → exit 1 with one error line", async (_name, inputs, message) => {
    const result = await runBundle(inputs);
    expect(result.status).toBe(1);
    const errors = result.stdout.split("\n").filter((line) => line.startsWith("::error::"));
    expect(errors).toEqual([`::error::${message}`]);
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
    expect(env!.outputs().changed).toBe("false");
    expect(env!.summary()).toContain(message);
  });
});
