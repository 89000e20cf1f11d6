/**
 * The Lambda Runtime API (version 2018-06-01): what Lambda offers a function's runtime at
 * $AWS_LAMBDA_RUNTIME_API. The one server of the project: the Lambda stand-in's sandboxes and the stand-in
 * base image's emulator (through RuntimeDriver) both serve it from here; what they do with an answer is
 * their RuntimeEvents. Routes, bodies and status codes follow the OpenAPI specification "AWS Lambda
 * Runtime API" 1.0.3 (runtime-api.zip, linked from https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const RUNTIME_API_PREFIX = "/2018-06-01/runtime";
/** "For synchronous invocations, the maximum payload size is 6 MB" (https://docs.aws.amazon.com/lambda/latest/dg/API_Invoke.html). */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
const ANSWER_PATH = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/;

export interface RuntimeInvocation {
  requestId: string;
  payload: Buffer | string;
  /** The function's timeout: Lambda-Runtime-Deadline-Ms is the dispatch time plus this. */
  timeoutMs: number;
  functionArn: string;
  traceId?: string;
  clientContext?: string;
}

export interface RuntimeEvents {
  /** The runtime asked for work: it finished init (first call) or its previous invocation. */
  onNext(): void;
  /** The runtime received the event: the function's own timeout starts now. */
  onDispatched(requestId: string): void;
  onResponse(requestId: string, body: Buffer): void;
  /** `errorType`: the Lambda-Runtime-Function-Error-Type header, when the runtime sent one. */
  onError(requestId: string, body: Buffer, errorType: string | undefined): void;
  onInitError(body: Buffer, errorType: string | undefined): void;
}

/** The ErrorResponse schema of the specification: `{ errorMessage, errorType }`. */
export interface RuntimeApiError {
  errorType: string;
  errorMessage: string;
}

export function responseTooLarge(): RuntimeApiError {
  return {
    errorType: "Function.ResponseSizeTooLarge",
    errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
  };
}

/**
 * One runtime's API: invocations wait in order for its long-polled GET /invocation/next, which may stay
 * open as long as no invocation comes ("Do not set a timeout on the GET request as the response may be
 * delayed", https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html).
 */
export class RuntimeApi {
  private readonly server: Server;
  private readonly queue: RuntimeInvocation[] = [];
  private readonly waitingNext: ServerResponse[] = [];
  private readonly inFlight = new Set<string>();

  constructor(private readonly events: RuntimeEvents) {
    this.server = createServer((request, response) => {
      this.route(request, response).catch((error: unknown) =>
        // 500: "Container error. Non-recoverable state. Runtime should exit promptly."
        reply(response, 500, { errorType: "ServiceException", errorMessage: String(error) }),
      );
    });
    this.server.keepAliveTimeout = 0;
  }

  /** Returns host:port, the value for AWS_LAMBDA_RUNTIME_API. */
  async listen(port = 0, host = "127.0.0.1"): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, host, resolve));
    return this.address;
  }

  get address(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `${address}:${port}`;
  }

  dispatch(invocation: RuntimeInvocation): void {
    this.queue.push(invocation);
    this.flush();
  }

  /** Forgets queued and in-flight invocations (their runtime died): a late answer gets 400. */
  clear(): void {
    this.queue.splice(0);
    this.inFlight.clear();
  }

  async close(): Promise<void> {
    for (const waiting of this.waitingNext.splice(0)) waiting.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? "/", "http://runtime").pathname;
    if (request.method === "GET" && path === `${RUNTIME_API_PREFIX}/invocation/next`) {
      this.waitingNext.push(response);
      this.events.onNext();
      this.flush();
      return;
    }
    const errorType = request.headers["lambda-runtime-function-error-type"] as string | undefined;
    if (request.method === "POST" && path === `${RUNTIME_API_PREFIX}/init/error`) {
      this.events.onInitError((await readLimited(request)) ?? Buffer.alloc(0), errorType);
      return reply(response, 202, { status: "OK" });
    }
    const match = ANSWER_PATH.exec(path);
    if (request.method !== "POST" || match === null) {
      await readLimited(request);
      return reply(response, 404, {
        errorType: "InvalidRequest",
        errorMessage: `${request.method} ${path} is not part of the Runtime API`,
      });
    }
    const requestId = decodeURIComponent(match[1] ?? "");
    const body = await readLimited(request);
    // /response and /error answer 400 Bad Request (an ErrorResponse) when the request is not theirs to answer.
    // The specification names no errorType for it: "InvalidRequestID" is this stand-in's own.
    if (!this.inFlight.delete(requestId)) {
      return reply(response, 400, {
        errorType: "InvalidRequestID",
        errorMessage: `unknown request id ${requestId}`,
      });
    }
    if (body === undefined) {
      // /response answers "413 Payload Too Large"; the invoke fails with the function's error.
      const tooLarge = responseTooLarge();
      this.events.onError(requestId, Buffer.from(JSON.stringify(tooLarge)), tooLarge.errorType);
      return reply(response, 413, tooLarge);
    }
    if (match[2] === "response") this.events.onResponse(requestId, body);
    else this.events.onError(requestId, body, errorType);
    reply(response, 202, { status: "OK" });
  }

  private flush(): void {
    while (this.queue.length > 0 && this.waitingNext.length > 0) {
      const next = this.waitingNext.shift() as ServerResponse;
      if (next.destroyed) continue;
      const invocation = this.queue.shift() as RuntimeInvocation;
      this.inFlight.add(invocation.requestId);
      next.writeHead(200, nextHeaders(invocation));
      next.end(invocation.payload);
      this.events.onDispatched(invocation.requestId);
    }
  }
}

/** The GET /invocation/next response headers the specification lists (Lambda-Runtime-*). */
function nextHeaders(invocation: RuntimeInvocation): Record<string, string | number> {
  const now = Date.now();
  const headers: Record<string, string | number> = {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(invocation.payload),
    "lambda-runtime-aws-request-id": invocation.requestId,
    // "Function execution deadline counted in milliseconds since the Unix epoch."
    "lambda-runtime-deadline-ms": now + invocation.timeoutMs,
    "lambda-runtime-invoked-function-arn": invocation.functionArn,
    // "X-Ray tracing header", e.g. Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=…;Sampled=1
    "lambda-runtime-trace-id":
      invocation.traceId ??
      `Root=1-${Math.floor(now / 1000).toString(16)}-${invocation.requestId.replace(/-/g, "").slice(0, 24)};Sampled=0`,
  };
  if (invocation.clientContext) headers["lambda-runtime-client-context"] = invocation.clientContext;
  return headers;
}

/** The body, or undefined past MAX_RESPONSE_BYTES (read to its end all the same). */
async function readLimited(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
  }
  return size > MAX_RESPONSE_BYTES ? undefined : Buffer.concat(chunks);
}

function reply(response: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}
