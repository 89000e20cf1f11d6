import {
  CreateAliasCommand,
  CreateFunctionCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  waitUntilPublishedVersionActive,
} from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "@textcat/kit/process";
import { startLocalAws, type LocalAws } from "../src/index.js";
import { clientsFor, decode, failure } from "./clients.js";
import { fixtureImage, type FixtureImage } from "./fixture-image.js";

let aws: LocalAws;
let lambda: ReturnType<typeof clientsFor>["lambda"];
let first: FixtureImage;
let second: FixtureImage;
const FunctionName = "fixture-fn";
const Role = "arn:aws:iam::000000000000:role/local";
const waiter = () => ({ client: lambda, maxWaitTime: 60, minDelay: 1 });
const hex = (digest: string): string => digest.replace("sha256:", "");

beforeAll(async () => {
  first = await fixtureImage("lambda-a");
  second = await fixtureImage("lambda-b");
  aws = await startLocalAws({ updateDelayMs: 300 });
  lambda = clientsFor(aws.endpoint).lambda;
});
afterAll(async () => aws?.close());

async function invoke(Qualifier: string, event: unknown, name = FunctionName) {
  const result = await lambda.send(
    new InvokeCommand({ FunctionName: name, Qualifier, Payload: Buffer.from(JSON.stringify(event)) }),
  );
  return { ...result, body: decode(result.Payload) };
}

describe("Lambda control plane", () => {
  it("creates an image function that becomes Active, with the image digest as CodeSha256", async () => {
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName,
        Role,
        PackageType: "Image",
        Code: { ImageUri: `127.0.0.1:5000/local-aws-test/runtime-fixture:${first.tag}` },
        Environment: { Variables: { GREETING: "hello" } },
      }),
    );
    expect(created.State).toBe("Pending");
    await waitUntilFunctionActiveV2(waiter(), { FunctionName });
    const { Configuration, Code } = await lambda.send(new GetFunctionCommand({ FunctionName }));
    expect(Configuration?.CodeSha256).toBe(hex(first.digest));
    expect(Code?.ResolvedImageUri).toBe(first.uri);
  });

  it("keeps an update InProgress until it is done, refusing to publish meanwhile", async () => {
    const v1 = await lambda.send(new PublishVersionCommand({ FunctionName, Description: "first" }));
    expect(v1.Version).toBe("1");
    const update = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName, ImageUri: second.uri }));
    expect(update.LastUpdateStatus).toBe("InProgress");
    const early = await failure(lambda.send(new PublishVersionCommand({ FunctionName })));
    expect(early).toMatchObject({ name: "ResourceConflictException", status: 409 });
    await waitUntilFunctionUpdatedV2(waiter(), { FunctionName });
    const wrongSha = await failure(
      lambda.send(new PublishVersionCommand({ FunctionName, CodeSha256: hex(first.digest) })),
    );
    expect(wrongSha.name).toBe("InvalidParameterValueException");
    const v2 = await lambda.send(
      new PublishVersionCommand({ FunctionName, CodeSha256: hex(second.digest), Description: "second" }),
    );
    expect(v2).toMatchObject({ Version: "2", CodeSha256: hex(second.digest), Description: "second" });
    const unchanged = await lambda.send(new PublishVersionCommand({ FunctionName }));
    expect(unchanged.Version).toBe("2");
    const { Versions } = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName }));
    expect(Versions?.map((version) => version.Version)).toEqual(["$LATEST", "1", "2"]);
  });

  it("keeps a new version Pending (not invocable) until it is Active, as Lambda reports", async () => {
    // https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html: "Lambda does not invoke a
    // function during pending state"; the published-version-active waiter polls State for Active.
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName, ImageUri: first.uri }));
    await waitUntilFunctionUpdatedV2(waiter(), { FunctionName });
    const v3 = await lambda.send(new PublishVersionCommand({ FunctionName }));
    expect(v3).toMatchObject({ Version: "3", State: "Pending", LastUpdateStatus: "InProgress" });
    const early = await failure(invoke("3", {}));
    expect(early).toMatchObject({ name: "ResourceConflictException", status: 409 });
    expect(early.message).toContain("Pending");
    await waitUntilPublishedVersionActive(waiter(), { FunctionName, Qualifier: "3" });
    const active = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName, Qualifier: "3" }));
    expect(active).toMatchObject({ State: "Active", LastUpdateStatus: "Successful" });
    expect((await invoke("3", {})).FunctionError).toBeUndefined();
  });

  it("moves an alias only with the current RevisionId, and rejects unknown versions", async () => {
    const alias = await lambda.send(
      new CreateAliasCommand({ FunctionName, Name: "live", FunctionVersion: "1" }),
    );
    const stale = await failure(
      lambda.send(
        new UpdateAliasCommand({
          FunctionName,
          Name: "live",
          FunctionVersion: "2",
          RevisionId: "not-current",
        }),
      ),
    );
    expect(stale).toMatchObject({ name: "PreconditionFailedException", status: 412 });
    const missing = await failure(
      lambda.send(new UpdateAliasCommand({ FunctionName, Name: "live", FunctionVersion: "9" })),
    );
    expect(missing).toMatchObject({ name: "ResourceNotFoundException", status: 404 });
    const moved = await lambda.send(
      new UpdateAliasCommand({
        FunctionName,
        Name: "live",
        FunctionVersion: "2",
        RevisionId: alias.RevisionId,
      }),
    );
    expect(moved.FunctionVersion).toBe("2");
    const config = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName, Qualifier: "live" }),
    );
    expect(config.Version).toBe("2");
  });

  it.each([
    ["an unknown function", { FunctionName: "nope" }, "ResourceNotFoundException", 404],
    ["an unknown alias", { FunctionName, Qualifier: "staging" }, "ResourceNotFoundException", 404],
  ])("answers %s with the AWS error shape", async (_case, input, name, status) => {
    expect(await failure(lambda.send(new GetFunctionCommand(input)))).toMatchObject({ name, status });
  });

  it.each([
    ["an image outside the registry", "public.ecr.aws/lambda/nodejs:22"],
    ["a tag the registry does not hold", "127.0.0.1:5000/local-aws-test/runtime-fixture:never-pushed"],
  ])("refuses code from %s", async (_case, ImageUri) => {
    const error = await failure(lambda.send(new UpdateFunctionCodeCommand({ FunctionName, ImageUri })));
    expect(error.name).toBe("InvalidParameterValueException");
  });
});

describe("Lambda Invoke in Docker", () => {
  it("runs the version an alias names, in a container kept warm", async () => {
    const firstCall = await invoke("live", { text: "hi" });
    expect(firstCall.ExecutedVersion).toBe("2");
    expect(firstCall.body).toMatchObject({
      marker: "lambda-b",
      version: "2",
      greeting: "hello",
      event: { text: "hi" },
    });
    const secondCall = await invoke("live", {});
    expect(secondCall.body.invocations).toBe(2);
    expect((await invoke("1", {})).body).toMatchObject({ marker: "lambda-a", version: "1", invocations: 1 });
  });

  it("splits traffic by the alias weights", async () => {
    await lambda.send(
      new UpdateAliasCommand({
        FunctionName,
        Name: "live",
        FunctionVersion: "1",
        RoutingConfig: { AdditionalVersionWeights: { "2": 0.5 } },
      }),
    );
    const executed = new Set<string>();
    for (let call = 0; call < 24; call++) executed.add((await invoke("live", {})).ExecutedVersion ?? "");
    expect([...executed].sort()).toEqual(["1", "2"]);
    const alias = await lambda.send(new GetAliasCommand({ FunctionName, Name: "live" }));
    expect(alias.RoutingConfig?.AdditionalVersionWeights).toEqual({ "2": 0.5 });
  });

  it("reports a handler error as FunctionError with the error payload", async () => {
    const result = await invoke("2", { fail: true });
    expect(result.FunctionError).toBe("Unhandled");
    expect(result.body).toMatchObject({ errorType: "Error", errorMessage: "failed on purpose" });
    expect((await invoke("2", {})).body.marker).toBe("lambda-b");
  });

  it("times out a slow invocation and replaces its sandbox", async () => {
    const started = Date.now();
    const result = await invoke("2", { sleepMs: 10_000 });
    expect(result.FunctionError).toBe("Unhandled");
    expect(result.body.errorType).toBe("Sandbox.Timedout");
    expect(Date.now() - started).toBeLessThan(8_000);
    expect((await invoke("2", {})).body.invocations).toBe(1);
  });

  it("reports a runtime that exits mid-invocation", async () => {
    const result = await invoke("2", { exit: true });
    expect(result.body.errorType).toBe("Runtime.ExitError");
  });

  it("reports an init error as a function error", async () => {
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: "fails-init",
        Role,
        PackageType: "Image",
        Code: { ImageUri: first.uri },
        Environment: { Variables: { FAIL_INIT: "1" } },
      }),
    );
    await waitUntilFunctionActiveV2(waiter(), { FunctionName: "fails-init" });
    const result = await invoke("$LATEST", {}, "fails-init");
    expect(result.FunctionError).toBe("Unhandled");
    expect(result.body).toMatchObject({ errorType: "Runtime.ImportModuleError" });
  });

  it("refuses a payload that is not JSON", async () => {
    const error = await failure(
      lambda.send(new InvokeCommand({ FunctionName, Qualifier: "live", Payload: Buffer.from("{not json") })),
    );
    expect(error.name).toBe("InvalidRequestContentException");
  });

  it("stops its containers on close", async () => {
    expect(aws.invoker.warmCount()).toBeGreaterThan(0);
    await aws.invoker.shutdown();
    expect(aws.invoker.warmCount()).toBe(0);
    const running = await run("docker", ["ps", "--quiet", "--filter", "name=local-aws-fixture-fn"], {
      quiet: true,
    });
    expect(running.trim()).toBe("");
  });
});
