import * as core from "@actions/core";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { fakeClock } from "../../shared/src/clock.js";
import type { ActionEnv } from "../../shared/test/action-env.js";
import { setupActionEnv } from "../../shared/test/action-env.js";
import { fakeFunction, mockLambda } from "../../shared/test/release/fake-lambda.js";
import { run } from "../src/main.js";

const statuses: Array<[string, string]> = [];
vi.mock("../../shared/src/deployments.js", () => ({
  recordDeployment: async () => ({
    id: 1,
    setStatus: async (state: string, description: string) => {
      statuses.push([state, description]);
    },
  }),
}));

let env: ActionEnv;
let lambda: ReturnType<typeof mockLambda>;
beforeEach(() => {
  statuses.length = 0;
  lambda = mockLambda(fakeFunction());
  Reflect.set(core.summary, "_filePath", undefined);
});
afterEach(() => {
  env.restore();
  lambda.restore();
});

function start(inputs: Record<string, string>) {
  env = setupActionEnv(
    { "function-name": "textcat", "aws-region": "eu-west-1", ...inputs },
    { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" },
  );
}

test("records the rollback as a deployment and its success", async () => {
  start({});
  await run({ clock: fakeClock() });
  expect(statuses.map(([state]) => state)).toEqual(["in_progress", "success"]);
  expect(statuses[1]![1]).toMatch(/^rolled back to version 2 /);
});

test("marks the deployment failed with the reason", async () => {
  start({ "to-version": "9" });
  await run({ clock: fakeClock() });
  expect(statuses).toEqual([
    ["in_progress", "rolling back"],
    ["failure", 'version "9" of function "textcat" does not exist (check function-name and aws-region)'],
  ]);
});
