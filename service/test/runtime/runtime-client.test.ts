/**
 * The stand-in base image's runtime interface client against a Runtime API server, without Docker:
 * the same loop the image runs (GET next → handler → POST response / error, init errors).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { afterEach, beforeAll, expect, test } from "vitest";
import type { ChildProcess } from "node:child_process";
import { start as startProcess } from "@textcat/kit/process";
import { type InvokeResult, RuntimeDriver } from "@textcat/local-aws/runtime-driver";

const CLIENT = resolve(import.meta.dirname, "../../base-image/runtime/runtime-client.ts");
let taskRoot: string;
const running: Array<{ child: ChildProcess; api: RuntimeDriver }> = [];

let clientBundle: string;

beforeAll(async () => {
  taskRoot = mkdtempSync(join(tmpdir(), "textcat-runtime-"));
  // Bundled as the image does (index.mjs): plain node starts in a fraction of tsx's time.
  clientBundle = join(taskRoot, "runtime-index.mjs");
  await build({
    entryPoints: [CLIENT],
    outfile: clientBundle,
    bundle: true,
    platform: "node",
    format: "esm",
    logLevel: "warning",
  });
  writeFileSync(
    join(taskRoot, "ok.mjs"),
    `export const handler = async (event, context) => ({ event, requestId: context.awsRequestId,
      arn: context.invokedFunctionArn, remainingPositive: context.getRemainingTimeInMillis() > 0,
      traceId: process.env._X_AMZN_TRACE_ID });`,
  );
  writeFileSync(
    join(taskRoot, "fail.mjs"),
    `export const handler = async () => { throw new TypeError("boom"); };`,
  );
  writeFileSync(
    join(taskRoot, "callback.cjs"),
    `exports.handler = (event, context, callback) => callback(null, { doubled: event.n * 2 });`,
  );
  writeFileSync(
    join(taskRoot, "broken.mjs"),
    `class ModelLoadError extends Error { name = "ModelLoadError"; } throw new ModelLoadError("integrity check failed");`,
  );
});

afterEach(async () => {
  for (const { child, api } of running.splice(0)) {
    child.kill("SIGKILL");
    await api.close();
  }
});

async function start(handlerName: string): Promise<{ api: RuntimeDriver; initError: Promise<InvokeResult> }> {
  const api = new RuntimeDriver();
  const address = await api.listen();
  const initError = new Promise<InvokeResult>((resolveError) => api.onInitError(resolveError));
  const { child } = startProcess(process.execPath, [clientBundle], {
    env: {
      ...process.env,
      AWS_LAMBDA_RUNTIME_API: address,
      LAMBDA_TASK_ROOT: taskRoot,
      _HANDLER: handlerName,
    },
  });
  child.stdout?.resume();
  child.stderr?.resume();
  running.push({ child, api });
  return { api, initError };
}

test("an invocation reaches the handler with its context and the answer is posted back", async () => {
  const { api } = await start("ok.handler");
  const result = await api.invoke(JSON.stringify({ hello: "world" }), {
    requestId: "req-1",
    functionArn: "arn:aws:lambda:eu-west-1:1:function:f",
    traceId: "Root=1-abc",
  });
  expect(result.kind).toBe("response");
  expect(JSON.parse(result.body)).toEqual({
    event: { hello: "world" },
    requestId: "req-1",
    arn: "arn:aws:lambda:eu-west-1:1:function:f",
    remainingPositive: true,
    traceId: "Root=1-abc",
  });
  const second = await api.invoke("{}", { requestId: "req-2" });
  expect(JSON.parse(second.body).requestId).toBe("req-2");
});

test("a callback-style CommonJS handler works", async () => {
  const { api } = await start("callback.handler");
  const result = await api.invoke(JSON.stringify({ n: 21 }));
  expect(JSON.parse(result.body)).toEqual({ doubled: 42 });
});

test("a throwing handler is reported to /error with its type, message and trace", async () => {
  const { api } = await start("fail.handler");
  const result = await api.invoke("{}");
  expect(result).toMatchObject({ kind: "error", errorType: "TypeError" });
  expect(JSON.parse(result.body)).toMatchObject({
    errorType: "TypeError",
    errorMessage: "boom",
    trace: expect.any(Array),
  });
});

test.each([
  ["missing.handler", "Runtime.ImportModuleError"],
  ["ok.nope", "Runtime.HandlerNotFound"],
  ["nodot", "Runtime.MalformedHandlerName"],
  ["broken.handler", "ModelLoadError"],
])("_HANDLER=%s fails the init with %s", async (handlerName, errorType) => {
  const { initError } = await start(handlerName);
  const result = await initError;
  expect(result).toMatchObject({ kind: "init-error", errorType });
  expect(JSON.parse(result.body).errorType).toBe(errorType);
});
