/**
 * A node:http server in front of the Lambda handler: each HTTP request becomes an HTTP API (v2) event,
 * so the same handler answers locally as behind API Gateway.
 */
import { randomUUID } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { HttpResponse } from "./events.js";
import type { LambdaHandler } from "./handler.js";

/** Bodies past this are not buffered; the handler's own limit (smaller) answers 413 before it. */
const MAX_BUFFERED_BODY_BYTES = 8 * 1024 * 1024;

async function readBody(request: IncomingMessage): Promise<Buffer | "too-large"> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BUFFERED_BODY_BYTES) return "too-large";
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function toHttpApiEvent(request: IncomingMessage, body: Buffer): APIGatewayProxyEventV2 {
  const url = new URL(request.url ?? "/", "http://localhost");
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  const requestId = randomUUID();
  const method = request.method ?? "GET";
  const now = new Date();
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    requestContext: {
      accountId: "local",
      apiId: "local",
      domainName: headers.host ?? "localhost",
      domainPrefix: "local",
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? "",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId,
      routeKey: "$default",
      stage: "$default",
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    // Like API Gateway: text bodies arrive as text, anything else base64-encoded.
    ...(body.length > 0 ? { body: body.toString("base64") } : {}),
    isBase64Encoded: body.length > 0,
  };
}

function send(response: ServerResponse, result: HttpResponse): void {
  response.writeHead(result.statusCode, result.headers);
  response.end(result.body);
}

export function createLocalServer(handler: LambdaHandler): Server {
  return createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      if (body === "too-large") {
        const error = { error: { code: "payload_too_large", message: "The body is too large." } };
        send(response, {
          statusCode: 413,
          headers: { "content-type": "application/json" },
          body: JSON.stringify(error),
          isBase64Encoded: false,
        });
        return;
      }
      const event = toHttpApiEvent(request, body);
      const result = (await handler(event, { awsRequestId: event.requestContext.requestId })) as HttpResponse;
      send(response, result);
    })().catch(() => {
      if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" });
      response.end(
        JSON.stringify({ error: { code: "internal_error", message: "The local server failed." } }),
      );
    });
  });
}
