/**
 * The Lambda Runtime API (version 2018-06-01) as a small HTTP server: what the Lambda service offers a
 * function's runtime at $AWS_LAMBDA_RUNTIME_API. Used by the stand-in base image's emulator (the RIE
 * equivalent) and by image tests that drive a container the way Lambda does.
 */
import { randomUUID } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";

export const RUNTIME_API_PREFIX = "/2018-06-01/runtime";

export type InvokeResult =
  | { kind: "response"; requestId: string; body: string }
  | { kind: "error"; requestId: string; errorType: string; body: string }
  | { kind: "init-error"; requestId: string; errorType: string; body: string };

export interface InvokeOptions {
  requestId?: string;
  functionArn?: string;
  traceId?: string;
  timeoutMs?: number;
}

interface Invocation {
  requestId: string;
  payload: string;
  options: InvokeOptions;
  resolve: (result: InvokeResult) => void;
}

const DEFAULT_ARN = "arn:aws:lambda:us-east-1:012345678912:function:test_function";
const DEFAULT_TIMEOUT_MS = 300_000;

async function readText(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

function reply(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

export class RuntimeApiServer {
  private readonly server: Server;
  private readonly queue: Invocation[] = [];
  private readonly waitingRuntimes: ServerResponse[] = [];
  private readonly inFlight = new Map<string, Invocation>();
  private readonly initErrorListeners: Array<(result: InvokeResult) => void> = [];
  /** Resolves at the runtime's first GET /next: its init finished. */
  readonly firstPoll: Promise<void>;
  private markPolled: () => void = () => {};

  constructor() {
    this.firstPoll = new Promise((resolve) => (this.markPolled = resolve));
    this.server = createServer((request, response) => {
      this.route(request, response).catch((error: unknown) => {
        reply(response, 500, { errorType: "ServiceException", errorMessage: String(error) });
      });
    });
    this.server.keepAliveTimeout = 0;
  }

  async listen(port = 0, host = "127.0.0.1"): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, host, resolve));
    return this.address;
  }

  /** host:port, the value for AWS_LAMBDA_RUNTIME_API. */
  get address(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `${address}:${port}`;
  }

  invoke(payload: string, options: InvokeOptions = {}): Promise<InvokeResult> {
    return new Promise((resolve) => {
      this.queue.push({ requestId: options.requestId ?? randomUUID(), payload, options, resolve });
      this.dispatch();
    });
  }

  /** Resolves when the runtime reports an init error (POST /runtime/init/error). */
  onInitError(listener: (result: InvokeResult) => void): void {
    this.initErrorListeners.push(listener);
  }

  /** Fails every queued and in-flight invocation, e.g. when the runtime process died. */
  failAll(errorType: string, message: string): void {
    const body = JSON.stringify({ errorType, errorMessage: message });
    for (const invocation of [...this.queue.splice(0), ...this.inFlight.values()]) {
      invocation.resolve({ kind: "error", requestId: invocation.requestId, errorType, body });
    }
    this.inFlight.clear();
  }

  async close(): Promise<void> {
    for (const waiting of this.waitingRuntimes.splice(0)) waiting.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private dispatch(): void {
    while (this.queue.length > 0 && this.waitingRuntimes.length > 0) {
      const invocation = this.queue.shift() as Invocation;
      const response = this.waitingRuntimes.shift() as ServerResponse;
      if (response.destroyed) {
        this.queue.unshift(invocation);
        continue;
      }
      this.inFlight.set(invocation.requestId, invocation);
      const deadline = Date.now() + (invocation.options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      response.writeHead(200, {
        "content-type": "application/json",
        "lambda-runtime-aws-request-id": invocation.requestId,
        "lambda-runtime-deadline-ms": String(deadline),
        "lambda-runtime-invoked-function-arn": invocation.options.functionArn ?? DEFAULT_ARN,
        "lambda-runtime-trace-id":
          invocation.options.traceId ??
          `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomUUID().replace(/-/g, "").slice(0, 24)};Sampled=0`,
      });
      response.end(invocation.payload);
    }
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? "/", "http://runtime").pathname;
    if (request.method === "GET" && path === `${RUNTIME_API_PREFIX}/invocation/next`) {
      this.markPolled();
      this.waitingRuntimes.push(response);
      this.dispatch();
      return;
    }
    const body = await readText(request);
    const errorType = String(request.headers["lambda-runtime-function-error-type"] ?? "Unhandled");
    if (request.method === "POST" && path === `${RUNTIME_API_PREFIX}/init/error`) {
      const result: InvokeResult = { kind: "init-error", requestId: "", errorType, body };
      for (const listener of this.initErrorListeners) listener(result);
      for (const invocation of this.queue.splice(0))
        invocation.resolve({ ...result, requestId: invocation.requestId });
      reply(response, 202, { status: "OK" });
      return;
    }
    const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(path);
    if (request.method !== "POST" || match === null) {
      reply(response, 404, {
        errorType: "InvalidRequest",
        errorMessage: `${request.method} ${path} is not part of the Runtime API`,
      });
      return;
    }
    const requestId = decodeURIComponent(match[1] ?? "");
    const invocation = this.inFlight.get(requestId);
    if (invocation === undefined) {
      reply(response, 400, {
        errorType: "InvalidRequestID",
        errorMessage: `unknown request id ${requestId}`,
      });
      return;
    }
    this.inFlight.delete(requestId);
    invocation.resolve(
      match[2] === "response"
        ? { kind: "response", requestId, body }
        : { kind: "error", requestId, errorType, body },
    );
    reply(response, 202, { status: "OK" });
  }
}
