import * as core from "@actions/core";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { ECRClient } from "@aws-sdk/client-ecr";
import { DeleteProvisionedConcurrencyConfigCommand, UpdateAliasCommand } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { fakeClock } from "@textcat/action-shared/clock";
import type { ActionEnv } from "@textcat/action-shared/testing/action-env";
import { actionEnvFor } from "@textcat/action-shared/testing/action-env";
import type { FakeFunctionState } from "@textcat/action-shared/testing/fake-lambda";
import {
  awsError,
  commandNames,
  fakeFunction,
  mockLambda,
  NEW_DIGEST,
  REPO,
} from "@textcat/action-shared/testing/fake-lambda";
import { planWarmup, provisionedProgress, releaseAfterFailure } from "../src/decide.js";
import { run } from "../src/main.js";
import { ecrHoldsImages } from "./fake-ecr.js";

const setupActionEnv = actionEnvFor("promote");

describe("planWarmup", () => {
  test.each([
    ["off", 0, "4", ["3"], { kind: "none" }],
    [
      "warm 4, release 3 after the switch",
      2,
      "4",
      ["3"],
      { kind: "warm", version: "4", count: 2, release: "3" },
    ],
    [
      "first deploy: nothing to release",
      2,
      "1",
      [],
      { kind: "warm", version: "1", count: 2, release: undefined },
    ],
    [
      "alias on $LATEST: not a version",
      2,
      "4",
      ["$LATEST"],
      { kind: "warm", version: "4", count: 2, release: undefined },
    ],
    [
      "same version again: never released",
      2,
      "3",
      ["3", "4"],
      { kind: "warm", version: "3", count: 2, release: undefined },
    ],
  ] as const)("%s", (_name, count, version, aliasVersions, expected) => {
    expect(planWarmup(count, version, aliasVersions)).toEqual(expected);
  });
});

describe("releaseAfterFailure", () => {
  test("releases the new version's, never one the alias still uses", () => {
    expect(releaseAfterFailure(planWarmup(2, "4", ["3"]), ["3"])).toBe("4");
    expect(releaseAfterFailure(planWarmup(2, "4", ["3", "4"]), ["3", "4"])).toBeUndefined();
    expect(releaseAfterFailure(planWarmup(0, "4", ["3"]), ["3"])).toBeUndefined();
  });
});

describe("provisionedProgress", () => {
  test.each([
    [{ status: "READY", reason: undefined }, 0, { kind: "ready" }],
    [{ status: "IN_PROGRESS", reason: undefined }, 10, { kind: "wait" }],
    [{ status: undefined, reason: undefined }, 10, { kind: "wait" }],
    [
      { status: "FAILED", reason: "not enough concurrency" },
      0,
      { kind: "failed", reason: "not enough concurrency" },
    ],
    [{ status: "FAILED", reason: undefined }, 0, { kind: "failed", reason: "Lambda gave no reason" }],
    [
      { status: "IN_PROGRESS", reason: undefined },
      1000,
      { kind: "failed", reason: "still IN_PROGRESS after 1 s" },
    ],
    [{ status: "IN_PROGRESS", reason: undefined }, 999, { kind: "wait" }],
    [
      { status: "IN_PROGRESS", reason: undefined },
      2600,
      { kind: "failed", reason: "still IN_PROGRESS after 3 s" },
    ],
    [{ status: undefined, reason: undefined }, 1000, { kind: "failed", reason: "still unknown after 1 s" }],
    [{ status: "FAILED", reason: "" }, 0, { kind: "failed", reason: "Lambda gave no reason" }],
  ] as const)("%o after %d ms", (current, elapsed, expected) => {
    expect(provisionedProgress(current, elapsed, 1000)).toEqual(expected);
  });
});

const GOLDEN = [{ text: "sci.space", label: "sci.space" }];
let env: ActionEnv;
let state: FakeFunctionState;
let lambda: ReturnType<typeof mockLambda>;
const ecr = mockClient(ECRClient);
mockClient(CloudWatchClient);

function start(inputs: Record<string, string>) {
  env = setupActionEnv({}, { GITHUB_SHA: "", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" });
  const golden = join(env.dir, "golden.json");
  writeFileSync(golden, JSON.stringify(GOLDEN));
  Reflect.set(core.summary, "_filePath", undefined);
  const all = {
    "function-name": "textcat",
    "image-uri": `${REPO}@${NEW_DIGEST}`,
    "golden-requests": golden,
    "aws-region": "eu-west-1",
    "model-sha256": "e".repeat(64),
    "provisioned-concurrency": "2",
    ...inputs,
  };
  for (const [name, value] of Object.entries(all)) process.env[`INPUT_${name.toUpperCase()}`] = value;
}

beforeEach(() => {
  state = fakeFunction({ provisioned: new Map([["3", { count: 2, pollsLeft: 0 }]]) });
  lambda = mockLambda(state);
  ecr.reset();
  ecrHoldsImages(ecr);
});
afterEach(() => {
  env?.restore();
  lambda.restore();
});

const lambdaSteps = () => commandNames(lambda).filter((name) => name !== "GetFunction");

describe("promote with provisioned concurrency", () => {
  test("the new version is READY before its golden requests; the old one's is released after the switch", async () => {
    const clock = fakeClock();
    start({});
    await run({ clock });
    expect(process.exitCode).toBeUndefined();
    expect(lambdaSteps()).toEqual([
      "GetAlias",
      "UpdateFunctionCode",
      "PublishVersion",
      "GetFunctionConfiguration", // the published-version-active waiter
      "PutProvisionedConcurrencyConfig",
      "GetProvisionedConcurrencyConfig", // IN_PROGRESS
      "GetProvisionedConcurrencyConfig", // IN_PROGRESS
      "GetProvisionedConcurrencyConfig", // READY
      "Invoke",
      "UpdateAlias",
      "DeleteProvisionedConcurrencyConfig",
    ]);
    expect(lambda.commandCalls(UpdateAliasCommand)[0]?.args[0].input.FunctionVersion).toBe("4");
    expect([...state.provisioned!.keys()]).toEqual(["4"]);
    expect(state.provisioned!.get("4")?.count).toBe(2);
    expect(env.summary()).toContain("2 READY on version 4 before the switch; version 3's released");
  });

  test.each([
    [
      "allocation FAILED",
      (s: FakeFunctionState) => {
        s.provisioned!.set("4", { count: 0, pollsLeft: 1, failWith: "Not enough unreserved concurrency" });
      },
      /provisioned concurrency 2 for version 4: Not enough unreserved concurrency/,
    ],
    [
      "never READY",
      (s: FakeFunctionState) => {
        s.provisioned!.set("4", { count: 0, pollsLeft: 1_000_000 });
      },
      /provisioned concurrency 2 for version 4: still IN_PROGRESS after 90\d s/,
    ],
    [
      "golden request fails on the warm version",
      (s: FakeFunctionState) => {
        s.answer = () => ({ payload: { label: "misc" } });
      },
      /failed 1\/1 golden requests/,
    ],
  ])(
    "%s: alias and version 3's provisioned concurrency stay, version 4's is released",
    async (_n, arrange, message) => {
      arrange(state);
      const before = structuredClone(state.alias);
      start({});
      await run({ clock: fakeClock() });
      expect(process.exitCode).toBe(1);
      expect(env.summary()).toMatch(message);
      expect(state.alias).toEqual(before);
      expect(commandNames(lambda)).not.toContain("UpdateAlias");
      expect([...state.provisioned!.entries()]).toEqual([["3", { count: 2, pollsLeft: 0 }]]);
    },
  );

  test("a failed release after the switch is a warning: the deploy stands", async () => {
    start({});
    lambda.on(UpdateAliasCommand).callsFake(async () => {
      state.alias = { ...state.alias!, version: "4" };
      lambda
        .on(DeleteProvisionedConcurrencyConfigCommand)
        .rejects(awsError("ServiceException", "delete broke"));
      return { RevisionId: "rev-9" };
    });
    await run({ clock: fakeClock() });
    expect(process.exitCode).toBeUndefined();
    expect(state.alias?.version).toBe("4");
    expect(env.summary()).toContain("version 3's NOT released (still billed)");
  });

  test("0 (the default) makes no provisioned-concurrency call", async () => {
    start({ "provisioned-concurrency": "0" });
    await run({ clock: fakeClock() });
    expect(process.exitCode).toBeUndefined();
    expect(commandNames(lambda).filter((name) => name.includes("Provisioned"))).toEqual([]);
  });

  test("a bad count is a one-line input error before any AWS call", async () => {
    start({ "provisioned-concurrency": "1.5" });
    await run({ clock: fakeClock() });
    expect(process.exitCode).toBe(1);
    expect(env.summary()).toContain('Input "provisioned-concurrency" must be an integer between 0 and 10000');
    expect(commandNames(lambda)).toEqual([]);
  });
});
