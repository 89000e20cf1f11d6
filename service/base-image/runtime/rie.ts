/**
 * The stand-in for the AWS Lambda Runtime Interface Emulator (/usr/local/bin/aws-lambda-rie): when no
 * AWS_LAMBDA_RUNTIME_API is given, the entrypoint runs this. It serves the Runtime API on
 * 127.0.0.1:9001 to the bootstrap it starts (on the first invocation, as the RIE does), and accepts
 * `POST /2015-03-31/functions/function/invocations` on :8080, answering with the function's result.
 */
import { randomUUID } from "node:crypto";
import { type IncomingMessage, createServer } from "node:http";
import { errorMessage } from "@textcat/kit/errors";
import { start as startProcess, type Started } from "@textcat/kit/process";
import { RuntimeDriver } from "@textcat/local-aws/runtime-driver";

const INVOKE_PATH = "/2015-03-31/functions/function/invocations";
const RUNTIME_API_PORT = 9001;
const INVOKE_PORT = 8080;

const log = (message: string) => process.stdout.write(`${message}\n`);

async function readText(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

async function main(): Promise<void> {
  const [bootstrap = "/var/runtime/bootstrap", ...bootstrapArgs] = process.argv.slice(2);
  const runtimeApi = new RuntimeDriver();
  await runtimeApi.listen(RUNTIME_API_PORT, "127.0.0.1");
  let runtime: Started | undefined;
  let initStarted = 0;
  let initReported = false;

  const env = {
    AWS_LAMBDA_FUNCTION_NAME: "test_function",
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "3008",
    AWS_LAMBDA_LOG_GROUP_NAME: "/aws/lambda/Functions",
    AWS_LAMBDA_LOG_STREAM_NAME: "$LATEST",
    AWS_REGION: "us-east-1",
    AWS_DEFAULT_REGION: "us-east-1",
    ...process.env,
    AWS_LAMBDA_RUNTIME_API: runtimeApi.address,
  };

  function ensureRuntime(): void {
    if (runtime !== undefined) return;
    log(`exec '${bootstrap}' (cwd=${process.cwd()}, handler=${process.env._HANDLER ?? ""})`);
    initStarted = performance.now();
    initReported = false;
    runtime = startProcess(bootstrap, bootstrapArgs, { env, stdio: "inherit" });
    runtime.exited.then(
      ({ code, signal }) => {
        log(`runtime exited (code=${code}, signal=${signal})`);
        runtime = undefined;
        runtimeApi.failAll("Runtime.ExitError", `RequestId: exited with code ${signal ?? code}`);
      },
      (error: unknown) => {
        log(`runtime did not start: ${errorMessage(error)}`);
        runtime = undefined;
        runtimeApi.failAll("Runtime.ExitError", `RequestId: ${errorMessage(error)}`);
      },
    );
  }

  const server = createServer((request, response) => {
    void (async () => {
      if (request.method !== "POST" || new URL(request.url ?? "/", "http://rie").pathname !== INVOKE_PATH) {
        response.writeHead(404, { "content-type": "text/plain" });
        response.end("404 page not found\n");
        return;
      }
      const payload = await readText(request);
      const requestId = randomUUID();
      ensureRuntime();
      log(`START RequestId: ${requestId} Version: $LATEST`);
      const pending = runtimeApi.invoke(payload === "" ? "{}" : payload, { requestId });
      const initDone = initReported
        ? undefined
        : await Promise.race([runtimeApi.firstPoll, pending]).then(() => performance.now());
      const started = initDone ?? performance.now();
      const result = await pending;
      const duration = performance.now() - started;
      const init = initDone === undefined ? "" : ` Init Duration: ${(initDone - initStarted).toFixed(2)} ms`;
      initReported = true;
      log(`END RequestId: ${requestId}`);
      log(
        `REPORT RequestId: ${requestId}${init}\tDuration: ${duration.toFixed(2)} ms\tBilled Duration: ${Math.ceil(duration)} ms\t` +
          `Memory Size: 3008 MB\tMax Memory Used: ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB`,
      );
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (result.kind !== "response") headers["x-amz-function-error"] = "Unhandled";
      response.writeHead(200, headers);
      response.end(result.body);
    })().catch((error: unknown) => {
      response.writeHead(500, { "content-type": "application/json" });
      response.end(JSON.stringify({ errorType: "ServiceException", errorMessage: String(error) }));
    });
  });
  server.listen(INVOKE_PORT, "0.0.0.0");
  const stop = () => {
    runtime?.child.kill("SIGTERM");
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

await main();
