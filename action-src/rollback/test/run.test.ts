import * as core from "@actions/core";
import { InvokeCommand } from "@aws-sdk/client-lambda";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { fakeClock } from "@textcat/action-shared/clock";
import type { ActionEnv } from "@textcat/action-shared/testing/action-env";
import { actionEnvFor } from "@textcat/action-shared/testing/action-env";
import type { FakeFunctionState } from "@textcat/action-shared/testing/fake-lambda";
import {
  commandNames,
  digestOf,
  fakeFunction,
  mockLambda,
  OLD_DIGEST,
  REPO,
} from "@textcat/action-shared/testing/fake-lambda";
import { run } from "../src/main.js";

const setupActionEnv = actionEnvFor("rollback");

let env: ActionEnv;
let state: FakeFunctionState;
let lambda: ReturnType<typeof mockLambda>;

/** Version 4 (digest "4…") is live, promoted over version 3 (OLD_DIGEST), which was promoted over 2. */
function promotedTwice(): FakeFunctionState {
  const state = fakeFunction();
  state.versions.set("4", { image: `${REPO}@${digestOf("4")}`, description: "" });
  state.alias = {
    version: "4",
    description: JSON.stringify({ digest: digestOf("4"), previous: "3", history: ["2", "1"] }),
    revisionId: "rev-1",
    weights: {},
  };
  return state;
}

function start(inputs: Record<string, string> = {}) {
  env = setupActionEnv(
    { "function-name": "textcat", "aws-region": "eu-west-1", ...inputs },
    { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" },
  );
  Reflect.set(core.summary, "_filePath", undefined); // @actions/core caches the previous test's summary file
  writeGolden([
    { text: "sci.space", label: "sci.space" },
    { text: "rec.autos", label: "rec.autos" },
  ]);
}

function writeGolden(cases: unknown): string {
  const path = join(env.dir, "golden.json");
  writeFileSync(path, JSON.stringify(cases));
  process.env["INPUT_GOLDEN-REQUESTS"] = path;
  return path;
}

const aliasMoves = () => commandNames(lambda).filter((name) => name === "UpdateAlias");

beforeEach(() => {
  state = promotedTwice();
  lambda = mockLambda(state);
});
afterEach(() => {
  env.restore();
  lambda.restore();
});

describe("rollback run()", () => {
  test("goes back to the previous version promote recorded, checking it before and after", async () => {
    start();
    await run({ clock: fakeClock() });
    expect(process.exitCode).toBeUndefined();
    expect(env.outputs()).toEqual({
      version: "3",
      "previous-version": "4",
      digest: OLD_DIGEST,
      changed: "true",
    });
    // every golden request, to the version before the alias moves and to the alias after
    expect(commandNames(lambda)).toEqual([
      "GetAlias",
      "GetFunction", // the target version
      "GetFunction", // the version served now (is the record about it?)
      "Invoke",
      "Invoke",
      "UpdateAlias",
      "Invoke",
      "Invoke",
    ]);
    const invoked = lambda.commandCalls(InvokeCommand).map((call) => call.args[0].input.Qualifier);
    expect(invoked).toEqual(["3", "3", "live", "live"]);
    expect(env.summary()).toContain("2/2 golden requests");
    expect(state.alias).toMatchObject({ version: "3", weights: {} });
    expect(env.summary()).toContain("Rolled back");
  });

  test("a second rollback goes one further back", async () => {
    start();
    await run({ clock: fakeClock() });
    env.restore();
    start();
    await run({ clock: fakeClock() });
    expect(env.outputs()).toMatchObject({ version: "2", "previous-version": "3" });
    expect(JSON.parse(state.alias!.description)).toEqual({
      digest: digestOf("2"),
      previous: "1",
      history: [],
    });
  });

  test("to-version overrides the record", async () => {
    start({ "to-version": "1" });
    await run({ clock: fakeClock() });
    expect(env.outputs()).toMatchObject({ version: "1", "previous-version": "4", changed: "true" });
  });

  test("without a record no version is guessed (a lower one may have failed promote's checks)", async () => {
    state.alias!.description = "made by hand";
    start();
    await run({ clock: fakeClock() });
    expect(process.exitCode).toBe(1);
    expect(env.summary()).toContain("alias records no earlier version promote verified");
    expect(aliasMoves()).toEqual([]);
  });

  test("a version put on the alias by hand is not recorded as verified by the next promote", async () => {
    // the record describes digest 4, but someone pointed the alias at version 1 by hand
    state.alias!.version = "1";
    start({ "to-version": "2" });
    await run({ clock: fakeClock() });
    expect(process.exitCode).toBeUndefined();
    expect(JSON.parse(state.alias!.description)).toMatchObject({ previous: "3" });
  });

  test("stops a canary left on the alias", async () => {
    state.alias!.weights = { "5": 0.1 };
    state.versions.set("5", { image: `${REPO}@${digestOf("5")}`, description: "" });
    start();
    await run({ clock: fakeClock() });
    expect(process.exitCode).toBeUndefined();
    expect(state.alias).toMatchObject({ version: "4", weights: {} });
  });

  test("to-version equal to the current version is a no-op", async () => {
    start({ "to-version": "4" });
    await run({ clock: fakeClock() });
    expect(process.exitCode).toBeUndefined();
    expect(env.outputs()).toMatchObject({ version: "4", changed: "false" });
    expect(aliasMoves()).toEqual([]);
  });
});

describe("rollback failures", () => {
  test.each([
    [
      "a version that does not exist",
      { "to-version": "9" },
      () => {},
      /version "9" of function "textcat" does not exist/,
    ],
    [
      "an alias that does not exist",
      { alias: "staging" },
      () => {},
      /alias "staging" of "textcat" does not exist: nothing to roll back/,
    ],
    ["an unknown function", { "function-name": "nope" }, () => {}, /function "nope" does not exist/],
    [
      "a target that crashes",
      {},
      (s: FakeFunctionState) => {
        s.answer = () => ({ functionError: "Unhandled", payload: { errorMessage: "boom" } });
      },
      /version 3 failed 2\/2 golden requests: request 1: function error \(Unhandled\): boom/,
    ],
  ])("%s leaves the alias where it was", async (_name, inputs, arrange, message) => {
    arrange(state);
    const before = structuredClone(state.alias);
    start(inputs);
    await run({ clock: fakeClock() });
    expect(process.exitCode).toBe(1);
    expect(env.summary()).toMatch(message);
    expect(aliasMoves()).toEqual([]);
    expect(state.alias).toEqual(before);
  });

  test("a target that gives wrong golden answers is not rolled back to", async () => {
    state.answer = () => ({ payload: { label: "misc" } });
    start();
    await run({ clock: fakeClock() });
    expect(process.exitCode).toBe(1);
    expect(env.summary()).toMatch(
      /version 3 failed 2\/2 golden requests: request 1: expected "sci.space", got "misc"/,
    );
    expect(state.alias?.version).toBe("4");
  });
});
