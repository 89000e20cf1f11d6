/** Builders of realistic Lambda events (shapes as API Gateway and function URLs send them). */
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from "aws-lambda";

export interface HttpCall {
  method: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  base64?: boolean;
}

const JSON_HEADERS = { "content-type": "application/json" };

function encodedBody(call: HttpCall): { body: string | null; isBase64Encoded: boolean } {
  if (call.body === undefined) return { body: null, isBase64Encoded: false };
  return call.base64
    ? { body: Buffer.from(call.body, "utf8").toString("base64"), isBase64Encoded: true }
    : { body: call.body, isBase64Encoded: false };
}

export function restV1Event(call: HttpCall): APIGatewayProxyEvent {
  const headers = { ...JSON_HEADERS, ...call.headers };
  return {
    resource: "/{proxy+}",
    path: call.path,
    httpMethod: call.method,
    headers: Object.fromEntries(
      Object.entries(headers).map(([k, v]) => [k.replace(/(^|-)\w/g, (s) => s.toUpperCase()), v]),
    ),
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: call.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: { proxy: call.path.slice(1) },
    stageVariables: null,
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      authorizer: {},
      protocol: "HTTP/1.1",
      httpMethod: call.method,
      identity: {
        sourceIp: "203.0.113.7",
        userAgent: "vitest",
      } as APIGatewayProxyEvent["requestContext"]["identity"],
      path: `/prod${call.path}`,
      stage: "prod",
      requestId: "rest-request-id",
      requestTimeEpoch: 1_700_000_000_000,
      resourceId: "res",
      resourcePath: "/{proxy+}",
    },
    ...encodedBody(call),
  };
}

export function httpV2Event(call: HttpCall, stage = "$default"): APIGatewayProxyEventV2 {
  const rawPath = stage === "$default" ? call.path : `/${stage}${call.path}`;
  const { body, isBase64Encoded } = encodedBody(call);
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString: new URLSearchParams(call.query ?? {}).toString(),
    headers: { ...JSON_HEADERS, ...call.headers },
    ...(call.query ? { queryStringParameters: call.query } : {}),
    requestContext: {
      accountId: "123456789012",
      apiId: "api",
      domainName: "api.example.com",
      domainPrefix: "api",
      http: {
        method: call.method,
        path: rawPath,
        protocol: "HTTP/1.1",
        sourceIp: "203.0.113.7",
        userAgent: "vitest",
      },
      requestId: "http-request-id",
      routeKey: "$default",
      stage,
      time: "12/Mar/2020:19:03:58 +0000",
      timeEpoch: 1_700_000_000_000,
    },
    ...(body !== null ? { body } : {}),
    isBase64Encoded,
  };
}

/** Function URLs send the v2 payload with a lambda-url domain and no stage. */
export function functionUrlEvent(call: HttpCall): APIGatewayProxyEventV2 {
  const event = httpV2Event(call);
  event.requestContext.domainName = "abcdefg.lambda-url.us-east-1.on.aws";
  event.requestContext.domainPrefix = "abcdefg";
  event.requestContext.requestId = "url-request-id";
  return event;
}

export const EVENT_BUILDERS = {
  "REST API v1": restV1Event,
  "HTTP API v2": httpV2Event,
  "function URL": functionUrlEvent,
};

export const json = (value: unknown): string => JSON.stringify(value);
