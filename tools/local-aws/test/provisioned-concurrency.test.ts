import {
  CreateFunctionCommand,
  DeleteProvisionedConcurrencyConfigCommand,
  GetProvisionedConcurrencyConfigCommand,
  InvokeCommand,
  PublishVersionCommand,
  PutProvisionedConcurrencyConfigCommand,
  waitUntilFunctionActiveV2,
} from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalAws, type LocalAws } from "../src/index.js";
import { clientsFor, failure } from "./clients.js";
import { fixtureImage, type FixtureImage } from "./fixture-image.js";

let aws: LocalAws;
let lambda: ReturnType<typeof clientsFor>["lambda"];
let image: FixtureImage;
const Role = "arn:aws:iam::000000000000:role/local";
const FunctionName = "pc-fn";

beforeAll(async () => {
  image = await fixtureImage("lambda-a");
  aws = await startLocalAws({ updateDelayMs: 100 });
  lambda = clientsFor(aws.endpoint).lambda;
  for (const [name, env] of [
    [FunctionName, {}],
    ["pc-fails-init", { FAIL_INIT: "1" }],
  ] as const) {
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Role,
        PackageType: "Image",
        Code: { ImageUri: image.uri },
        Environment: { Variables: env },
      }),
    );
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 60, minDelay: 1 }, { FunctionName: name });
    await lambda.send(new PublishVersionCommand({ FunctionName: name }));
  }
});
afterAll(async () => aws?.close());

/** The REPORT line of an invocation's log tail (LogType Tail), as Lambda returns it. */
async function reportLine(Qualifier: string, name = FunctionName): Promise<string> {
  const result = await lambda.send(
    new InvokeCommand({ FunctionName: name, Qualifier, LogType: "Tail", Payload: Buffer.from("{}") }),
  );
  expect(result.FunctionError).toBeUndefined();
  const tail = Buffer.from(result.LogResult ?? "", "base64").toString("utf8");
  return tail.split("\n").find((line) => line.startsWith("REPORT")) ?? "";
}

async function waitForStatus(name: string, qualifier: string) {
  for (let attempt = 0; attempt < 300; attempt++) {
    const config = await lambda.send(
      new GetProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: qualifier }),
    );
    if (config.Status !== "IN_PROGRESS") return config;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("provisioned concurrency stayed IN_PROGRESS");
}

describe("provisioned concurrency on the local Lambda", () => {
  it("refuses $LATEST and reports a missing config as ProvisionedConcurrencyConfigNotFoundException", async () => {
    const onLatest = await failure(
      lambda.send(
        new PutProvisionedConcurrencyConfigCommand({
          FunctionName,
          Qualifier: "$LATEST",
          ProvisionedConcurrentExecutions: 1,
        }),
      ),
    );
    expect(onLatest).toMatchObject({ name: "InvalidParameterValueException", status: 400 });
    const missing = await failure(
      lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName, Qualifier: "1" })),
    );
    expect(missing).toMatchObject({ name: "ProvisionedConcurrencyConfigNotFoundException", status: 404 });
  });

  it("an on-demand container reports Init Duration on its first request only", async () => {
    expect(await reportLine("$LATEST")).toMatch(/\tInit Duration: \d+ ms/);
    expect(await reportLine("$LATEST")).not.toContain("Init Duration");
  });

  it("starts that many containers and is READY only once all of them finished init", async () => {
    const put = await lambda.send(
      new PutProvisionedConcurrencyConfigCommand({
        FunctionName,
        Qualifier: "1",
        ProvisionedConcurrentExecutions: 2,
      }),
    );
    expect(put).toMatchObject({ Status: "IN_PROGRESS", RequestedProvisionedConcurrentExecutions: 2 });
    expect(put.$metadata.httpStatusCode).toBe(202);
    const ready = await waitForStatus(FunctionName, "1");
    expect(ready).toMatchObject({
      Status: "READY",
      RequestedProvisionedConcurrentExecutions: 2,
      AllocatedProvisionedConcurrentExecutions: 2,
      AvailableProvisionedConcurrentExecutions: 2,
    });
    expect(aws.invoker.warmCount(`${FunctionName}:1:`)).toBe(2);
    // Both environments were initialized before any request: neither first request reports an init.
    const reports = await Promise.all([reportLine("1"), reportLine("1")]);
    for (const report of reports) {
      expect(report).toMatch(/^REPORT RequestId: \S+\tDuration/);
      expect(report).not.toContain("Init Duration");
    }
    expect(aws.invoker.warmCount(`${FunctionName}:1:`)).toBe(2);
  });

  it("Delete answers 204 and stops the provisioned containers", async () => {
    const deleted = await lambda.send(
      new DeleteProvisionedConcurrencyConfigCommand({ FunctionName, Qualifier: "1" }),
    );
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(aws.invoker.warmCount(`${FunctionName}:1:`)).toBe(0);
    const gone = await failure(
      lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName, Qualifier: "1" })),
    );
    expect(gone.name).toBe("ProvisionedConcurrencyConfigNotFoundException");
    const again = await failure(
      lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName, Qualifier: "1" })),
    );
    expect(again).toMatchObject({ name: "ResourceNotFoundException", status: 404 });
  });

  it("FAILED with the reason when the containers cannot finish init", async () => {
    await lambda.send(
      new PutProvisionedConcurrencyConfigCommand({
        FunctionName: "pc-fails-init",
        Qualifier: "1",
        ProvisionedConcurrentExecutions: 1,
      }),
    );
    const failed = await waitForStatus("pc-fails-init", "1");
    expect(failed.Status).toBe("FAILED");
    expect(failed.StatusReason).toMatch(/init error Runtime.ImportModuleError/);
  });
});

describe("provisioned concurrency that cannot initialize in time", () => {
  it("is FAILED once the init limit passes, like a runtime that never asks for work", async () => {
    const slow = await startLocalAws({ updateDelayMs: 100, initTimeoutMs: 50 });
    try {
      const client = clientsFor(slow.endpoint).lambda;
      await client.send(
        new CreateFunctionCommand({
          FunctionName: "pc-slow",
          Role,
          PackageType: "Image",
          Code: { ImageUri: image.uri },
        }),
      );
      await waitUntilFunctionActiveV2({ client, maxWaitTime: 60, minDelay: 1 }, { FunctionName: "pc-slow" });
      const { Version } = await client.send(new PublishVersionCommand({ FunctionName: "pc-slow" }));
      await client.send(
        new PutProvisionedConcurrencyConfigCommand({
          FunctionName: "pc-slow",
          Qualifier: Version,
          ProvisionedConcurrentExecutions: 1,
        }),
      );
      let config = await client.send(
        new GetProvisionedConcurrencyConfigCommand({ FunctionName: "pc-slow", Qualifier: Version }),
      );
      for (let attempt = 0; config.Status === "IN_PROGRESS" && attempt < 100; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        config = await client.send(
          new GetProvisionedConcurrencyConfigCommand({ FunctionName: "pc-slow", Qualifier: Version }),
        );
      }
      expect(config).toMatchObject({ Status: "FAILED" });
      expect(config.StatusReason).toContain("init did not finish within 0.05 s");
    } finally {
      await slow.close();
    }
  });
});
