import * as core from "@actions/core";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  PutImageCommand,
} from "@aws-sdk/client-ecr";
import { PublishVersionCommand, UpdateFunctionCodeCommand } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { fakeClock } from "@textcat/action-shared/clock";
import type { ActionEnv } from "@textcat/action-shared/testing/action-env";
import { actionEnvFor, parseGitHubOutput } from "@textcat/action-shared/testing/action-env";
import type { FakeFunctionState } from "@textcat/action-shared/testing/fake-lambda";
import {
  awsError,
  commandNames,
  fakeFunction,
  mockLambda,
  NEW_DIGEST,
  OLD_DIGEST,
  REPO,
} from "@textcat/action-shared/testing/fake-lambda";
import { CANARY_STATE, decodeCanaryState } from "../src/canary-guard.js";
import { run } from "../src/main.js";
import { ecrHoldsImages } from "./fake-ecr.js";

const setupActionEnv = actionEnvFor("promote");

const GOLDEN = [
  { text: "sci.space", label: "sci.space" },
  { text: "rec.autos", label: "rec.autos" },
];
const ecr = mockClient(ECRClient);
const cloudwatch = mockClient(CloudWatchClient);
let env: ActionEnv;
let state: FakeFunctionState;
let lambda: ReturnType<typeof mockLambda>;

function start(inputs: Record<string, string> = {}) {
  env = setupActionEnv({}, { GITHUB_SHA: "", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" });
  const golden = join(env.dir, "golden.json");
  writeFileSync(golden, JSON.stringify(GOLDEN));
  Reflect.set(core.summary, "_filePath", undefined); // @actions/core caches the previous test's summary file
  const all = {
    "function-name": "textcat",
    "image-uri": `${REPO}@${NEW_DIGEST}`,
    "golden-requests": golden,
    "aws-region": "eu-west-1",
    "git-sha": "f".repeat(40),
    ...inputs,
  };
  for (const [name, value] of Object.entries(all)) process.env[`INPUT_${name.toUpperCase()}`] = value;
}

const DEPLOYED_TAG = `deployed-${NEW_DIGEST.slice("sha256:".length)}`;

/** ECR and Lambda commands in the order they were sent. */
function timeline(): string[] {
  const calls = [...ecr.calls(), ...lambda.calls()].sort((a, b) => (a.calledBefore(b) ? -1 : 1));
  return calls.map((call) =>
    (call.args[0] as { constructor: { name: string } }).constructor.name.replace(/Command$/, ""),
  );
}

const updateAliasCalls = () =>
  commandNames(lambda).filter((name) => name === "UpdateAlias" || name === "CreateAlias");

beforeEach(() => {
  state = fakeFunction();
  lambda = mockLambda(state);
  ecr.reset();
  ecrHoldsImages(ecr);
  cloudwatch.reset();
});
afterEach(() => {
  env.restore();
  lambda.restore();
});

describe("promote run()", () => {
  test("publishes, checks and only then moves the alias, recording the previous version", async () => {
    start({ "model-sha256": "e".repeat(64) }); // explicit, so the committed metrics.json does not matter
    await run({ clock: fakeClock() });
    expect(process.exitCode).toBeUndefined();
    expect(env.outputs()).toEqual({
      version: "4",
      "previous-version": "3",
      digest: NEW_DIGEST,
      "image-uri": `${REPO}@${NEW_DIGEST}`,
      changed: "true",
    });
    expect(timeline()).toEqual([
      "GetFunction",
      "GetAlias",
      "GetFunction",
      "BatchGetImage", // tag the digest deployed-… before Lambda points at it
      "PutImage",
      "UpdateFunctionCode",
      "GetFunction", // the SDK waiter
      "PublishVersion",
      "GetFunction",
      "GetFunctionConfiguration", // the published-version-active waiter
      "Invoke",
      "Invoke",
      "UpdateAlias",
    ]);
    expect(ecr.commandCalls(PutImageCommand)[0]?.args[0].input).toMatchObject({
      repositoryName: "textcat",
      imageTag: DEPLOYED_TAG,
      imageDigest: NEW_DIGEST,
    });
    expect(state.alias).toMatchObject({ version: "4", weights: {} });
    expect(JSON.parse(state.alias!.description)).toEqual({
      digest: NEW_DIGEST,
      previous: "3",
      history: ["2", "1"],
    });
    expect(JSON.parse(state.versions.get("4")!.description)).toEqual({
      digest: NEW_DIGEST,
      git: "f".repeat(40),
      model: "e".repeat(64),
    });
    expect(env.summary()).toContain("Promoted");
    expect(env.summary()).toContain("golden requests");
  });

  test("invokes the new version only once Lambda reports it Active", async () => {
    // A new version starts Pending and "Lambda does not invoke a function during pending state"
    // (https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html); without the waiter the
    // fake refuses the golden invocations with ResourceConflictException and promote fails.
    state.publishPendingPolls = 1;
    start();
    await run({ clock: fakeClock() });
    expect(process.exitCode).toBeUndefined();
    const afterPublish = commandNames(lambda).slice(commandNames(lambda).indexOf("PublishVersion"));
    expect(afterPublish).toEqual([
      "PublishVersion",
      "GetFunction",
      "GetFunctionConfiguration", // Pending
      "GetFunctionConfiguration", // Active
      "Invoke",
      "Invoke",
      "UpdateAlias",
    ]);
    expect(state.alias?.version).toBe("4");
  });

  test("does nothing when the alias already serves the digest", async () => {
    start({ "image-uri": `${REPO}@${OLD_DIGEST}` });
    await run({ clock: fakeClock() });
    expect(process.exitCode).toBeUndefined();
    expect(env.outputs()).toMatchObject({ version: "3", "previous-version": "2", changed: "false" });
    expect(commandNames(lambda)).toEqual(["GetFunction", "GetAlias", "GetFunction"]);
    // the live image is still made safe from expiry (it may predate the deployed- tags)
    expect(ecr.commandCalls(PutImageCommand)[0]?.args[0].input.imageTag).toBe(
      `deployed-${OLD_DIGEST.slice("sha256:".length)}`,
    );
    expect(env.summary()).toContain("Already deployed");
  });

  const DASHBOARD =
    "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards:name=textcat-prod";

  test("links the stage's dashboard from the summary of a promote", async () => {
    start({ "dashboard-url": DASHBOARD });
    await run({ clock: fakeClock() });
    expect(process.exitCode).toBeUndefined();
    expect(env.summary()).toContain(`<a href="${DASHBOARD}">CloudWatch dashboard</a>`);
  });

  test("and from the summary of a failed one", async () => {
    start({ "dashboard-url": DASHBOARD, "golden-requests": "/nonexistent/golden.json" });
    await run({ clock: fakeClock() });
    expect(process.exitCode).toBe(1);
    expect(env.summary()).toContain("Promote failed");
    expect(env.summary()).toContain(`<a href="${DASHBOARD}">CloudWatch dashboard</a>`);
  });

  test("a first deploy creates the alias", async () => {
    state.alias = undefined;
    start();
    await run({ clock: fakeClock() });
    expect(env.outputs()).toMatchObject({ version: "4", "previous-version": "", changed: "true" });
    expect(commandNames(lambda).at(-1)).toBe("CreateAlias");
    expect(state.alias).toMatchObject({ version: "4" });
  });

  test("resolves a content key to the digest ECR tagged as tested", async () => {
    ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryUri: REPO }] });
    ecr
      .on(DescribeImagesCommand, { imageIds: [{ imageTag: "ck-k1" }] })
      .resolves({ imageDetails: [{ imageDigest: NEW_DIGEST }] });
    start({ "image-uri": "", "content-key": "k1", "ecr-repository": "textcat" });
    await run({ clock: fakeClock() });
    expect(process.exitCode).toBeUndefined();
    expect(state.alias?.version).toBe("4");
    expect(state.versions.get("4")?.image).toBe(`${REPO}@${NEW_DIGEST}`);
  });

  test("an image already tagged deployed (a re-deploy) is promoted", async () => {
    ecr.on(PutImageCommand).rejects(awsError("ImageAlreadyExistsException"));
    start();
    await run({ clock: fakeClock() });
    expect(process.exitCode).toBeUndefined();
    expect(state.alias?.version).toBe("4");
  });

  test("a bare digest is deployed from the repository the function already uses", async () => {
    start({ "image-uri": "", digest: NEW_DIGEST });
    await run({ clock: fakeClock() });
    expect(state.versions.get("4")?.image).toBe(`${REPO}@${NEW_DIGEST}`);
  });

  test("waits out an update in progress (ResourceConflictException) with backoff", async () => {
    const clock = fakeClock();
    let calls = 0;
    lambda.on(UpdateFunctionCodeCommand).callsFake((input) => {
      if (++calls <= 2) throw awsError("ResourceConflictException", "An update is in progress");
      state.latestImage = input.ImageUri!;
      return { CodeSha256: NEW_DIGEST.slice(7) };
    });
    start();
    await run({ clock });
    expect(process.exitCode).toBeUndefined();
    expect(calls).toBe(3);
    expect(clock.sleeps).toEqual([500, 1000]);
  });
});

describe("promote failures leave the alias where it was", () => {
  const failures: Array<
    [string, (s: FakeFunctionState, l: ReturnType<typeof mockLambda>) => void, Record<string, string>, RegExp]
  > = [
    ["unknown function", () => {}, { "function-name": "other" }, /function "other" does not exist/],
    [
      "no tested image for the content key",
      () => {
        ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryUri: REPO }] });
        ecr.on(DescribeImagesCommand).rejects(awsError("ImageNotFoundException"));
      },
      { "image-uri": "", "content-key": "k2", "ecr-repository": "textcat" },
      /no tested image .* run build-test-push first/,
    ],
    [
      "UpdateFunctionCode refused",
      (_s, l) =>
        l
          .on(UpdateFunctionCodeCommand)
          .rejects(awsError("InvalidParameterValueException", "image not found")),
      {},
      /image not found/,
    ],
    [
      "Lambda fails to apply the image",
      (s) => {
        s.updateStatus = "Failed";
        s.updateFailure = "ImageAccessDenied";
      },
      {},
      /did not apply the new image \(Failed\): ImageAccessDenied/,
    ],
    [
      "PublishVersion fails",
      (_s, l) => l.on(PublishVersionCommand).rejects(awsError("ServiceException", "publish broke")),
      {},
      /publish broke/,
    ],
    [
      "someone else changed the code before publishing",
      (s, l) =>
        l.on(UpdateFunctionCodeCommand).callsFake(() => {
          s.latestImage = `${REPO}@${OLD_DIGEST}`;
          return { CodeSha256: NEW_DIGEST.slice(7) };
        }),
      {},
      /CodeSha256 does not match/,
    ],
    [
      "a golden request gets a wrong label",
      (s) => {
        s.answer = (image, request) => ({
          payload: { label: image.endsWith(NEW_DIGEST) ? "misc" : (request as { text: string }).text },
        });
      },
      {},
      /failed 2\/2 golden requests: request 1: expected "sci.space", got "misc"/,
    ],
    [
      "the new version crashes",
      (s) => {
        s.answer = () => ({ functionError: "Unhandled", payload: { errorMessage: "model sha mismatch" } });
      },
      {},
      /function error \(Unhandled\): model sha mismatch/,
    ],
    [
      "bad golden file",
      () => {},
      { "golden-requests": "/nonexistent/golden.json" },
      /golden requests file "\/nonexistent\/golden.json" cannot be read/,
    ],
  ];

  test.each(failures)("%s", async (_name, arrange, inputs, message) => {
    arrange(state, lambda);
    const before = structuredClone(state.alias);
    start(inputs);
    await run({ clock: fakeClock() });
    expect(process.exitCode).toBe(1);
    expect(updateAliasCalls()).toEqual([]);
    expect(state.alias).toEqual(before);
    expect(env.outputs().changed).toBe("false");
    expect(env.summary()).toMatch(message);
  });

  test.each([
    [
      "PutImage denied",
      () =>
        ecr.on(PutImageCommand).rejects(awsError("AccessDeniedException", "not authorized: ecr:PutImage")),
      /cannot tag sha256:b{64} in ECR repository "textcat" "deployed-b{64}" \(AccessDeniedException\)/,
    ],
    [
      "the digest is not in ECR",
      () =>
        ecr
          .on(BatchGetImageCommand)
          .resolves({ images: [], failures: [{ failureCode: "ImageNotFound", failureReason: "not found" }] }),
      /image sha256:b{64} is not deployable from ECR repository "textcat" \(ImageNotFound: not found\)/,
    ],
  ])("tagging fails (%s): Lambda is not touched", async (_name, arrange, message) => {
    arrange();
    const before = structuredClone(state.alias);
    start();
    await run({ clock: fakeClock() });
    expect(process.exitCode).toBe(1);
    expect(env.summary()).toMatch(message);
    expect(commandNames(lambda)).toEqual(["GetFunction", "GetAlias", "GetFunction"]);
    expect(state.latestImage).toBe(`${REPO}@${OLD_DIGEST}`);
    expect(state.alias).toEqual(before);
    expect(env.outputs().changed).toBe("false");
  });

  test("an alias moved by someone else meanwhile is not overwritten", async () => {
    state.answer = (image, request) => {
      state.alias!.revisionId = "rev-other"; // another deploy moved it while we were checking
      return { payload: { label: (request as { text: string }).text } };
    };
    start();
    await run({ clock: fakeClock() });
    expect(process.exitCode).toBe(1);
    expect(env.summary()).toContain("was changed by someone else meanwhile");
    expect(state.alias?.version).toBe("3");
  });
});

describe("promote canary", () => {
  const alarm = (name: string, state: string) => ({ AlarmName: name, StateValue: state as "OK" });
  const canaryInputs = { "canary-weight": "10", "canary-minutes": "1", "alarm-names": "errors,p99" };

  test("routes the weight, watches the alarms for the whole time, then switches fully", async () => {
    cloudwatch
      .on(DescribeAlarmsCommand)
      .resolves({ MetricAlarms: [alarm("errors", "OK"), alarm("p99", "INSUFFICIENT_DATA")] });
    const clock = fakeClock();
    const weightsSeen: Array<Record<string, number>> = [];
    start(canaryInputs);
    lambda.on(UpdateFunctionCodeCommand).callsFake((input) => {
      state.latestImage = input.ImageUri!;
      return { CodeSha256: NEW_DIGEST.slice(7) };
    });
    await run({ clock });
    for (const call of lambda.calls()) {
      const input = call.args[0].input as {
        RoutingConfig?: { AdditionalVersionWeights?: Record<string, number> };
      };
      if (input.RoutingConfig) weightsSeen.push(input.RoutingConfig.AdditionalVersionWeights ?? {});
    }
    expect(process.exitCode).toBeUndefined();
    expect(weightsSeen).toEqual([{ "4": 0.1 }, {}]);
    expect(clock.sleeps).toEqual([15_000, 15_000, 15_000, 15_000]);
    expect(cloudwatch.commandCalls(DescribeAlarmsCommand)).toHaveLength(6); // 1 before + 5 polls
    expect(state.alias).toMatchObject({ version: "4", weights: {} });
    expect(env.summary()).toContain("none fired");
  });

  test("while the canary runs, the step's state names it for the post step; promote ending clears it", async () => {
    const seenDuringCanary: string[] = [];
    cloudwatch.on(DescribeAlarmsCommand).callsFake(() => {
      seenDuringCanary.push(readFileSync(process.env.GITHUB_STATE!, "utf8"));
      return { MetricAlarms: [alarm("errors", "OK"), alarm("p99", "OK")] };
    });
    start(canaryInputs);
    process.env.GITHUB_STATE = join(env.dir, "github_state");
    writeFileSync(process.env.GITHUB_STATE, "");
    await run({ clock: fakeClock() });
    expect(process.exitCode).toBeUndefined();
    const canaryState = (text: string) => parseGitHubOutput(text)[CANARY_STATE];
    // the first DescribeAlarms is the check before the canary: nothing routed yet
    expect(canaryState(seenDuringCanary[0]!)).toBeUndefined();
    expect(decodeCanaryState(canaryState(seenDuringCanary[1]!) ?? "")).toEqual({
      functionName: "textcat",
      alias: "live",
      canaryVersion: "4",
    });
    expect(canaryState(readFileSync(process.env.GITHUB_STATE, "utf8"))).toBe("");
  });

  test("moves the alias back when an alarm fires", async () => {
    let polls = 0;
    cloudwatch.on(DescribeAlarmsCommand).callsFake(() => ({
      MetricAlarms: [alarm("errors", ++polls >= 3 ? "ALARM" : "OK"), alarm("p99", "OK")],
    }));
    start(canaryInputs);
    await run({ clock: fakeClock() });
    expect(process.exitCode).toBe(1);
    expect(env.summary()).toMatch(
      /canary: alarm errors fired after 15 s; alias "live" moved back to version 3/,
    );
    expect(state.alias).toMatchObject({ version: "3", weights: {} });
    expect(JSON.parse(state.alias!.description)).toMatchObject({ digest: OLD_DIGEST, previous: "2" });
  });

  test("moves the alias back when watching the alarms fails", async () => {
    let polls = 0;
    cloudwatch.on(DescribeAlarmsCommand).callsFake(() => {
      if (++polls >= 2) throw awsError("AccessDenied", "not allowed: cloudwatch:DescribeAlarms");
      return { MetricAlarms: [alarm("errors", "OK"), alarm("p99", "OK")] };
    });
    start(canaryInputs);
    await run({ clock: fakeClock() });
    expect(process.exitCode).toBe(1);
    expect(env.summary()).toContain("canary stopped (not allowed: cloudwatch:DescribeAlarms)");
    expect(state.alias).toMatchObject({ version: "3", weights: {} });
  });

  test.each([
    [
      "an alarm already firing",
      [alarm("errors", "ALARM"), alarm("p99", "OK")],
      /already in ALARM before the canary: errors/,
    ],
    ["an alarm that does not exist", [alarm("errors", "OK")], /alarm\(s\) not found: p99/],
  ])("refuses to start with %s, before touching the function", async (_name, alarms, message) => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: alarms });
    start(canaryInputs);
    await run({ clock: fakeClock() });
    expect(process.exitCode).toBe(1);
    expect(env.summary()).toMatch(message);
    expect(commandNames(lambda)).not.toContain("UpdateFunctionCode");
    expect(state.alias?.version).toBe("3");
  });
});
