import * as core from "@actions/core";
import { ECRClient } from "@aws-sdk/client-ecr";
import { UpdateFunctionCodeCommand } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { fakeClock } from "@textcat/action-shared/clock";
import type { ActionEnv } from "@textcat/action-shared/testing/action-env";
import { actionEnvFor } from "@textcat/action-shared/testing/action-env";
import {
  awsError,
  fakeFunction,
  mockLambda,
  NEW_DIGEST,
  REPO,
} from "@textcat/action-shared/testing/fake-lambda";
import { run } from "../src/main.js";
import { ecrHoldsImages } from "./fake-ecr.js";

const setupActionEnv = actionEnvFor("promote");

const { statuses, recordDeployment } = vi.hoisted(() => {
  const statuses: Array<[string, string]> = [];
  const setStatus = async (state: string, description: string) => {
    statuses.push([state, description]);
  };
  return { statuses, recordDeployment: vi.fn(async (_options: object) => ({ id: 1, setStatus })) };
});
vi.mock("../../shared/src/deployments.js", () => ({ recordDeployment }));

const ecr = mockClient(ECRClient);
let env: ActionEnv;
let lambda: ReturnType<typeof mockLambda>;
beforeEach(() => {
  statuses.length = 0;
  ecr.reset();
  ecrHoldsImages(ecr);
  lambda = mockLambda(fakeFunction());
  env = setupActionEnv(
    {
      "function-name": "textcat",
      "image-uri": `${REPO}@${NEW_DIGEST}`,
      "aws-region": "eu-west-1",
      "git-sha": "abc1234",
      "github-token": "ghs_secret",
    },
    { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" },
  );
  writeFileSync(join(env.dir, "golden.json"), JSON.stringify([{ text: "x", label: "x" }]));
  process.env["INPUT_GOLDEN-REQUESTS"] = join(env.dir, "golden.json");
  Reflect.set(core.summary, "_filePath", undefined);
});
afterEach(() => {
  env.restore();
  lambda.restore();
});

test("records a GitHub deployment of the commit and its success, with the token masked", async () => {
  const written: string[] = [];
  const write = vi
    .spyOn(process.stdout, "write")
    .mockImplementation((chunk) => written.push(String(chunk)) > 0);
  await run({ clock: fakeClock() });
  write.mockRestore();
  expect(written.join("")).toContain("::add-mask::ghs_secret");
  expect(recordDeployment).toHaveBeenCalledWith(
    expect.objectContaining({ token: "ghs_secret", environment: "production", ref: "abc1234" }),
  );
  expect(statuses.map(([state]) => state)).toEqual(["in_progress", "success"]);
  expect(statuses[1]![1]).toBe(`promoted ${NEW_DIGEST.slice(0, 19)} as version 4`);
});

test("marks the deployment failed with the one-line reason", async () => {
  lambda.on(UpdateFunctionCodeCommand).rejects(awsError("AccessDeniedException", "not allowed"));
  await run({ clock: fakeClock() });
  expect(statuses).toEqual([
    ["in_progress", "promoting"],
    ["failure", "not allowed"],
  ]);
});
