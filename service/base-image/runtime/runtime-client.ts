/**
 * The stand-in base image's Node.js runtime (/var/runtime/index.mjs, started by /var/runtime/bootstrap):
 * loads the handler named by _HANDLER (`file.export`, from the image CMD) from LAMBDA_TASK_ROOT, then
 * loops on the Runtime API at AWS_LAMBDA_RUNTIME_API the way the AWS Node.js runtime interface client
 * does: GET /invocation/next, call the handler, POST /invocation/{id}/response or /error; a failure to
 * load posts /init/error and exits.
 */
import { Agent, request as httpRequest } from "node:http";
import { loadHandler, type LoadedHandler } from "./handler-loader.js";

const API_PREFIX = "/2018-06-01/runtime";
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<ApiResponse> {
  const [host = "127.0.0.1", port = "9001"] = (process.env.AWS_LAMBDA_RUNTIME_API ?? "").split(":");
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host,
        port: Number(port),
        method,
        path: `${API_PREFIX}${path}`,
        agent,
        headers: { "user-agent": USER_AGENT, ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const USER_AGENT = `aws-lambda-nodejs/${process.version}-textcat-standin`;

interface ErrorPayload {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

export function errorPayload(error: unknown, fallbackType = "Error"): ErrorPayload {
  if (error instanceof Error) {
    return {
      errorType: error.name || fallbackType,
      errorMessage: error.message,
      trace: (error.stack ?? "").split("\n").filter((line) => line !== ""),
    };
  }
  return { errorType: fallbackType, errorMessage: String(error), trace: [] };
}

async function postError(path: string, payload: ErrorPayload): Promise<void> {
  await call("POST", path, JSON.stringify(payload), {
    "content-type": "application/json",
    "lambda-runtime-function-error-type": payload.errorType,
  });
}

function header(response: ApiResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function contextFor(next: ApiResponse, requestId: string) {
  const deadline = Number(header(next, "lambda-runtime-deadline-ms") ?? Date.now() + 300_000);
  const clientContext = header(next, "lambda-runtime-client-context");
  const identity = header(next, "lambda-runtime-cognito-identity");
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? "",
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION ?? "$LATEST",
    invokedFunctionArn: header(next, "lambda-runtime-invoked-function-arn") ?? "",
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? "",
    awsRequestId: requestId,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME ?? "",
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME ?? "",
    clientContext: clientContext ? JSON.parse(clientContext) : undefined,
    identity: identity ? JSON.parse(identity) : undefined,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

function invokeHandler(handler: LoadedHandler, event: unknown, context: object): Promise<unknown> {
  if (handler.length >= 3) {
    return new Promise((resolve, reject) => {
      // Any truthy first argument is the error, passed on as the handler gave it, whatever its type.
      const fail = (error: unknown) => reject(error);
      const callback = (error: unknown, result: unknown) => (error ? fail(error) : resolve(result));
      const returned = handler(event, context, callback);
      if (returned instanceof Promise) returned.then(resolve, reject);
    });
  }
  return Promise.resolve().then(() => handler(event, context));
}

let currentRequestId: string | undefined;

async function failCurrentInvocation(error: unknown, errorType: string): Promise<never> {
  const payload = { ...errorPayload(error), errorType };
  console.error(
    `${new Date().toISOString()}\t${currentRequestId ?? "undefined"}\tERROR\t${JSON.stringify(payload)}`,
  );
  if (currentRequestId !== undefined) {
    await postError(`/invocation/${currentRequestId}/error`, payload).catch(() => {});
  }
  process.exit(129);
}

async function runLoop(handler: LoadedHandler): Promise<never> {
  for (;;) {
    const next = await call("GET", "/invocation/next");
    const requestId = header(next, "lambda-runtime-aws-request-id") ?? "";
    currentRequestId = requestId;
    const traceId = header(next, "lambda-runtime-trace-id");
    if (traceId !== undefined) process.env._X_AMZN_TRACE_ID = traceId;
    else delete process.env._X_AMZN_TRACE_ID;
    try {
      const event: unknown = JSON.parse(next.body);
      const result = await invokeHandler(handler, event, contextFor(next, requestId));
      await call("POST", `/invocation/${requestId}/response`, JSON.stringify(result ?? null), {
        "content-type": "application/json",
      });
    } catch (error) {
      const payload = errorPayload(error);
      console.error(
        `${new Date().toISOString()}\t${requestId}\tERROR\tInvoke Error \t${JSON.stringify(payload)}`,
      );
      await postError(`/invocation/${requestId}/error`, payload);
    }
    currentRequestId = undefined;
  }
}

async function main(): Promise<void> {
  process.on(
    "unhandledRejection",
    (reason) => void failCurrentInvocation(reason, "Runtime.UnhandledPromiseRejection"),
  );
  process.on("uncaughtException", (error) => void failCurrentInvocation(error, "Runtime.UncaughtException"));
  let handler: LoadedHandler;
  try {
    handler = await loadHandler(process.env.LAMBDA_TASK_ROOT ?? "/var/task", process.env._HANDLER ?? "");
  } catch (error) {
    const payload = errorPayload(error);
    console.error(`${new Date().toISOString()}\tundefined\tERROR\t${JSON.stringify(payload)}`);
    await postError("/init/error", payload).catch(() => {});
    process.exit(129);
  }
  await runLoop(handler);
}

await main();
