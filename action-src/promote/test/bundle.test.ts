import { existsSync } from "node:fs";
import { afterEach, describe, expect, test } from "vitest";
import type { ActionEnv } from "@textcat/action-shared/testing/action-env";
import { actionEnvFor } from "@textcat/action-shared/testing/action-env";
import { runBundle as runActionBundle } from "@textcat/action-shared/testing/run-bundle";

const setupActionEnv = actionEnvFor("promote");

const BUNDLE = "action-src/promote/dist/index.js";
const DIGEST = `sha256:${"d".repeat(64)}`;
const CASES: Array<[string, Record<string, string>, string]> = [
  ["no function name", { digest: DIGEST }, 'Input "function-name" is required'],
  [
    "a tag instead of a digest",
    { "function-name": "textcat", "image-uri": "repo:latest" },
    'Input "image-uri" must be <repository>@sha256:<64 hex>, got "repo:latest"',
  ],
  [
    "no region",
    { "function-name": "textcat", digest: DIGEST },
    'Input "aws-region" is required (or set AWS_REGION)',
  ],
  [
    "an unreadable golden file",
    {
      "function-name": "textcat",
      digest: DIGEST,
      "aws-region": "eu-west-1",
      "golden-requests": "no/such.json",
    },
    'golden requests file "no/such.json" cannot be read',
  ],
];
let env: ActionEnv | undefined;
afterEach(() => env?.restore());

/** Runs the committed bundle the way the runner does: node, INPUT_* variables, GITHUB_OUTPUT file. */
async function runBundle(inputs: Record<string, string>) {
  env = setupActionEnv(inputs);
  const result = await runActionBundle("promote", env);
  return { status: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

describe("promote bundle", () => {
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
