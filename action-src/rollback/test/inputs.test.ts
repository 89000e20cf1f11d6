import { afterEach, expect, test } from "vitest";
import type { ActionEnv } from "@textcat/action-shared/testing/action-env";
import { actionEnvFor } from "@textcat/action-shared/testing/action-env";
import { readInputs } from "../src/inputs.js";

const setupActionEnv = actionEnvFor("rollback");

let env: ActionEnv | undefined;
afterEach(() => env?.restore());

function read(inputs: Record<string, string>) {
  env = setupActionEnv(inputs);
  return readInputs();
}

test("defaults mirror action.yml", () => {
  expect(read({ "function-name": "textcat" })).toEqual({
    functionName: "textcat",
    alias: "live",
    toVersion: "",
    goldenRequests: "model/golden.json",
    awsRegion: "",
    githubToken: "",
    environment: "production",
  });
});

test.each([
  [
    { "function-name": "textcat", "to-version": "7", alias: "staging" },
    { toVersion: "7", alias: "staging" },
  ],
  [
    { "function-name": "textcat", "golden-requests": "model/golden.json" },
    { goldenRequests: "model/golden.json" },
  ],
])("reads %j", (inputs, expected) => {
  expect(read(inputs)).toMatchObject(expected);
});

test.each([
  [{}, 'Input "function-name" is required'],
  [
    { "function-name": "textcat", "to-version": "$LATEST" },
    'Input "to-version" must be a published version number',
  ],
  [
    { "function-name": "textcat", "to-version": "0" },
    'Input "to-version" must be a published version number',
  ],
  [
    { "function-name": "textcat", "to-version": "v3" },
    'Input "to-version" must be a published version number',
  ],
  [{ "function-name": "textcat", alias: "a b" }, 'Input "alias" must be letters'],
])("rejects %j", (inputs, message) => {
  expect(() => read(inputs)).toThrow(message);
});
