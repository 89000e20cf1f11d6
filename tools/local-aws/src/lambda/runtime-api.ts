import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

const PREFIX = "/2018-06-01/runtime";
const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;

export interface PendingInvocation {
  requestId: string;
  payload: Buffer;
  timeoutMs: number;
  functionArn: string;
  clientContext?: string;
}

export interface RuntimeEvents {
  /** The runtime asked for work: it finished init (first call) or its previous invocation. */
  onNext(): void;
  /** The runtime received the event: the function's own timeout starts now. */
  onDispatched(requestId: string): void;
  onResponse(requestId: string, body: Buffer): void;
  onError(requestId: string, body: Buffer, errorType: string | undefined): void;
  onInitError(body: Buffer, errorType: string | undefined): void;
}

/**
 * The Lambda Runtime API for one sandbox (one container): long-polled /next, and the
 * response, error and init-error posts. One invocation at a time, like Lambda.
 */
export class RuntimeApi {
  private waitingNext: ServerResponse | undefined;
  private queued: PendingInvocation | undefined;
  private readonly server: Server;

  constructor(private readonly events: RuntimeEvents) {
    this.server = createServer((request, response) => {
      this.route(request, response).catch(() =>
        reply(response, 500, { errorMessage: "runtime API failure" }),
      );
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as AddressInfo).port;
  }

  dispatch(invocation: PendingInvocation): void {
    this.queued = invocation;
    this.flush();
  }

  async close(): Promise<void> {
    this.waitingNext?.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? "/", "http://runtime").pathname;
    const body = await readLimited(request);
    const errorType = request.headers["lambda-runtime-function-error-type"] as string | undefined;
    if (request.method === "GET" && path === `${PREFIX}/invocation/next`) {
      this.waitingNext = response;
      this.events.onNext();
      this.flush();
      return;
    }
    if (request.method === "POST" && path === `${PREFIX}/init/error`) {
      this.events.onInitError(body ?? Buffer.alloc(0), errorType);
      return reply(response, 202, { status: "OK" });
    }
    const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(path);
    if (request.method !== "POST" || !match)
      return reply(response, 404, { errorMessage: `Unknown path ${path}` });
    const [, requestId = "", kind] = match;
    if (body === undefined) {
      this.events.onError(
        requestId,
        Buffer.from(JSON.stringify(tooLarge())),
        "Function.ResponseSizeTooLarge",
      );
      return reply(response, 413, tooLarge());
    }
    if (kind === "response") this.events.onResponse(requestId, body);
    else this.events.onError(requestId, body, errorType);
    reply(response, 202, { status: "OK" });
  }

  private flush(): void {
    const next = this.waitingNext;
    const invocation = this.queued;
    if (!next || !invocation) return;
    this.waitingNext = undefined;
    this.queued = undefined;
    const headers: Record<string, string | number> = {
      "content-type": "application/json",
      "content-length": invocation.payload.length,
      "lambda-runtime-aws-request-id": invocation.requestId,
      "lambda-runtime-deadline-ms": Date.now() + invocation.timeoutMs,
      "lambda-runtime-invoked-function-arn": invocation.functionArn,
      "lambda-runtime-trace-id": `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${invocation.requestId.replace(/-/g, "").slice(0, 24)};Sampled=0`,
    };
    if (invocation.clientContext) headers["lambda-runtime-client-context"] = invocation.clientContext;
    next.writeHead(200, headers);
    next.end(invocation.payload);
    this.events.onDispatched(invocation.requestId);
  }
}

async function readLimited(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk as Buffer);
  }
  return size > MAX_RESPONSE_BYTES ? undefined : Buffer.concat(chunks);
}

function tooLarge(): Record<string, string> {
  return {
    errorType: "Function.ResponseSizeTooLarge",
    errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
  };
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}
