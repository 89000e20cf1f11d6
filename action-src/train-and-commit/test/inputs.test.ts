import { afterEach, describe, expect, test } from "vitest";
import type { ActionEnv } from "@textcat/action-shared/testing/action-env";
import { actionEnvFor } from "@textcat/action-shared/testing/action-env";
import { splitCommand } from "../src/train.js";
import { CANONICAL_ARCHIVE } from "@textcat/model/data";
import { readInputs } from "../src/inputs.js";

const DEFAULT_TRAIN_COMMAND = "npm run train -- --config default --out model/artifacts";

const setupActionEnv = actionEnvFor("train-and-commit");

let env: ActionEnv | undefined;
afterEach(() => env?.restore());

describe("readInputs", () => {
  test("no inputs gives the action.yml defaults", () => {
    env = setupActionEnv({});
    expect(readInputs()).toEqual({
      trainCommand: DEFAULT_TRAIN_COMMAND,
      artifactsDir: "model/artifacts",
      minAccuracy: 0.8,
      maxAccuracyDrop: 0.01,
      goldenExamples: "model/golden.json",
      baseRef: "",
      githubToken: "",
      pushToken: "",
      commitMessage: "chore(model): update trained artifacts",
      push: true,
      cacheDir: ".cache/textcat",
      datasetSha256: CANONICAL_ARCHIVE.sha256,
    });
  });

  test.each([
    [{ "min-accuracy": "0.9" }, { minAccuracy: 0.9 }],
    [{ "max-accuracy-drop": "0" }, { maxAccuracyDrop: 0 }],
    [{ "golden-examples": "none" }, { goldenExamples: "" }],
    [{ "artifacts-dir": "out/model/" }, { artifactsDir: "out/model" }],
    [{ push: "false" }, { push: false }],
    [{ "dataset-sha256": "AB".repeat(32) }, { datasetSha256: "ab".repeat(32) }],
  ])("%j → %j", (inputs, expected) => {
    env = setupActionEnv(inputs);
    expect(readInputs()).toMatchObject(expected);
  });

  test.each([
    [{ "min-accuracy": "87%" }, 'Input "min-accuracy" must be a number between 0 and 1, got "87%"'],
    [{ "max-accuracy-drop": "2" }, 'Input "max-accuracy-drop" must be a number between 0 and 1, got "2"'],
    [{ push: "yes" }, 'Input "push" must be true or false, got "yes"'],
    [{ "artifacts-dir": "/abs" }, 'Input "artifacts-dir" must be a path inside the repository, got "/abs"'],
    [{ "artifacts-dir": "../x" }, 'Input "artifacts-dir" must be a path inside the repository, got "../x"'],
    [{ "dataset-sha256": "abc" }, 'Input "dataset-sha256" must be 64 hex digits, got "abc"'],
  ])("%j fails: %s", (inputs, message) => {
    env = setupActionEnv(inputs);
    expect(() => readInputs()).toThrow(message);
  });
});

describe("splitCommand", () => {
  test.each([
    [DEFAULT_TRAIN_COMMAND, ["npm", "run", "train", "--", "--config", "default", "--out", "model/artifacts"]],
    ["node train.mjs \"a b\" 'c d'", ["node", "train.mjs", "a b", "c d"]],
    ["  spaced   out ", ["spaced", "out"]],
  ])("%j", (command, parts) => {
    expect(splitCommand(command)).toEqual(parts);
  });
});
