import * as core from "@actions/core";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { fakeClock } from "@textcat/action-shared/clock";
import { versionDescription } from "@textcat/action-shared/release/version-record";
import type { ActionEnv } from "@textcat/action-shared/testing/action-env";
import { actionEnvFor } from "@textcat/action-shared/testing/action-env";
import type { FakeFunctionState } from "@textcat/action-shared/testing/fake-lambda";
import { digestOf, fakeFunction, mockLambda } from "@textcat/action-shared/testing/fake-lambda";
import { run } from "../src/main.js";

const setupActionEnv = actionEnvFor("rollback");

const { statuses, recordDeployment } = vi.hoisted(() => {
  const statuses: Array<[string, string]> = [];
  const setStatus = async (state: string, description: string) => {
    statuses.push([state, description]);
  };
  return { statuses, recordDeployment: vi.fn(async (_options: object) => ({ id: 1, setStatus })) };
});
vi.mock("../../shared/src/deployments.js", () => ({ recordDeployment }));

const COMMIT = "c0ffee0".padEnd(40, "1");
let env: ActionEnv;
let state: FakeFunctionState;
let lambda: ReturnType<typeof mockLambda>;
beforeEach(() => {
  statuses.length = 0;
  recordDeployment.mockClear();
  state = fakeFunction();
  // version 2 was published by promote for COMMIT (its Description records it)
  state.versions.get("2")!.description = versionDescription(digestOf("2"), COMMIT, "");
  lambda = mockLambda(state);
  Reflect.set(core.summary, "_filePath", undefined);
});
afterEach(() => {
  env.restore();
  lambda.restore();
});

function start(inputs: Record<string, string>) {
  env = setupActionEnv(
    { "function-name": "textcat", "aws-region": "eu-west-1", "github-token": "ghs_x", ...inputs },
    { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", GITHUB_SHA: "f".repeat(40) },
  );
  const golden = join(env.dir, "golden.json");
  writeFileSync(golden, JSON.stringify([{ text: "sci.space", label: "sci.space" }]));
  process.env["INPUT_GOLDEN-REQUESTS"] = golden;
}

test("records one deployment, of the commit the served version was built from (not main's head)", async () => {
  start({});
  await run({ clock: fakeClock() });
  expect(process.exitCode).toBeUndefined();
  expect(recordDeployment).toHaveBeenCalledTimes(1);
  expect(recordDeployment).toHaveBeenCalledWith(expect.objectContaining({ ref: COMMIT }));
  expect(statuses.map(([s]) => s)).toEqual(["in_progress", "success"]);
  expect(statuses[1]![1]).toMatch(/^rolled back to version 2 /);
});

test("a version promote did not publish (no commit recorded): no deployment that would name the wrong one", async () => {
  start({ "to-version": "1" });
  await run({ clock: fakeClock() });
  expect(process.exitCode).toBeUndefined();
  expect(recordDeployment).not.toHaveBeenCalled();
});

test("a rollback that fails before choosing a version records nothing and says why", async () => {
  start({ "to-version": "9" });
  await run({ clock: fakeClock() });
  expect(process.exitCode).toBe(1);
  expect(recordDeployment).not.toHaveBeenCalled();
  expect(env.summary()).toContain('version "9" of function "textcat" does not exist');
});

test("a target failing its golden checks marks its deployment failed", async () => {
  state.answer = () => ({ payload: { label: "misc" } });
  start({});
  await run({ clock: fakeClock() });
  expect(process.exitCode).toBe(1);
  expect(statuses.map(([s]) => s)).toEqual(["in_progress", "failure"]);
});
