import { afterEach, describe, expect, test } from "vitest";
import type { ActionEnv } from "@textcat/action-shared/testing/action-env";
import { actionEnvFor } from "@textcat/action-shared/testing/action-env";
import { literalDefaults, outputsSetIn, readActionYml } from "@textcat/action-shared/testing/action-yml";
import { readInputs } from "../src/inputs.js";

const setupActionEnv = actionEnvFor("build-test-push");

const metadata = readActionYml("build-test-push");
let env: ActionEnv | undefined;
afterEach(() => env?.restore());

describe("build-test-push action.yml", () => {
  test("runs the bundle on node24", () => {
    expect(metadata.runs).toEqual({ using: "node24", main: "dist/index.js" });
  });

  test("the code's fallbacks equal action.yml's defaults (same result with or without the runner filling them)", () => {
    const required = { "ecr-repository": "textcat-lambda" };
    env = setupActionEnv({ ...literalDefaults(metadata), ...required }, { AWS_REGION: "eu-west-1" });
    const withDefaults = readInputs();
    env.restore();
    env = setupActionEnv(required, { AWS_REGION: "eu-west-1" });
    expect(readInputs()).toEqual(withDefaults);
  });

  test("declares exactly the outputs main.ts sets, each described", () => {
    expect(Object.keys(metadata.outputs).sort()).toEqual(outputsSetIn("build-test-push"));
    for (const output of Object.values(metadata.outputs)) expect(output.description).toBeTruthy();
  });
});
