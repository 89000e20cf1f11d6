/**
 * One Runtime API server for both of its users: a runtime gets the same refusals from the Lambda
 * stand-in's sandbox (a container started with `docker run`) and from the RuntimeDriver the stand-in base
 * image's emulator serves :8080 with. The runtime here is fixture/probe-runtime.mjs, started directly and
 * in place of the docker command, so no container is needed.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { ChildProcess } from "node:child_process";
import { start as startProcess } from "@textcat/kit/process";
import { responseTooLarge } from "../src/lambda/runtime-api.js";
import { RuntimeDriver } from "../src/lambda/runtime-driver.js";
import { Sandbox } from "../src/lambda/sandbox.js";

const PROBE_RUNTIME = resolve(import.meta.dirname, "fixture/probe-runtime.mjs");
const work = mkdtempSync(join(tmpdir(), "runtime-api-test-"));
const savedPath = process.env.PATH;
const children: ChildProcess[] = [];

interface Probe {
  unknownId: { status: number; body: unknown };
  oversize: { status: number; body: unknown };
}

beforeAll(() => {
  const docker = join(work, "docker");
  writeFileSync(docker, `#!/bin/sh\nexec "${process.execPath}" "${PROBE_RUNTIME}" "$@"\n`);
  chmodSync(docker, 0o755);
  process.env.PATH = `${work}:${savedPath ?? ""}`;
});

afterAll(() => {
  process.env.PATH = savedPath;
  for (const child of children) child.kill("SIGKILL");
});

async function readProbe(file: string): Promise<Probe> {
  for (let attempt = 0; attempt < 200 && !existsSync(file); attempt++) {
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
  return JSON.parse(readFileSync(file, "utf8")) as Probe;
}

async function throughSandbox(): Promise<{ probe: Probe; result: unknown }> {
  const probeFile = join(work, "sandbox.json");
  const sandbox = new Sandbox(
    {
      key: "probe:1",
      imageRef: "probe-runtime:never-pulled",
      functionName: "probe",
      functionArn: "arn:aws:lambda:us-east-1:000000000000:function:probe:1",
      version: "1",
      memorySize: 128,
      timeoutSeconds: 30,
      environment: { PROBE_FILE: probeFile },
      imageConfig: {},
    },
    {
      instanceLabel: "runtime-api-test",
      region: "us-east-1",
      initTimeoutMs: 30_000,
      readOnlyRootFilesystem: false,
      echoLogs: false,
    },
  );
  await sandbox.start();
  try {
    const result = await sandbox.invoke(Buffer.from("{}"), "sandbox-request");
    return { probe: await readProbe(probeFile), result: JSON.parse(result.payload.toString("utf8")) };
  } finally {
    await sandbox.stop();
  }
}

async function throughDriver(): Promise<{ probe: Probe; result: unknown }> {
  const probeFile = join(work, "driver.json");
  const driver = new RuntimeDriver();
  const address = await driver.listen();
  const { child } = startProcess(process.execPath, [PROBE_RUNTIME], {
    env: { ...process.env, AWS_LAMBDA_RUNTIME_API: address, PROBE_FILE: probeFile },
  });
  child.stdout?.resume();
  child.stderr?.resume();
  children.push(child);
  try {
    const result = await driver.invoke("{}", { requestId: "driver-request" });
    expect(result).toMatchObject({ kind: "error", errorType: "Function.ResponseSizeTooLarge" });
    return { probe: await readProbe(probeFile), result: JSON.parse(result.body) };
  } finally {
    await driver.close();
  }
}

test("the sandbox and the emulator's driver refuse an unknown id and an oversize answer alike", async () => {
  const sandbox = await throughSandbox();
  const driver = await throughDriver();
  // Response codes of /runtime/invocation/{AwsRequestId}/response: "400 Bad Request", "413 Payload Too
  // Large", each with an ErrorResponse { errorMessage, errorType } (the OpenAPI specification in
  // runtime-api.zip, https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html).
  expect(sandbox.probe).toEqual({
    unknownId: {
      status: 400,
      body: { errorType: "InvalidRequestID", errorMessage: "unknown request id not-a-request-id" },
    },
    oversize: { status: 413, body: responseTooLarge() },
  });
  expect(driver.probe).toEqual(sandbox.probe);
  // The invoke itself fails with the same error document through either.
  expect(sandbox.result).toEqual(responseTooLarge());
  expect(driver.result).toEqual(sandbox.result);
});
