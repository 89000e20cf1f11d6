/**
 * Turns whatever Lambda hands the function into one request shape, and the answer back into the
 * shape that event's caller expects. Every field is type-checked: events may be hand-made or hostile.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from "aws-lambda";
import { HttpError } from "./errors.js";

export type EventKind = "rest-v1" | "http-v2" | "direct";

export interface HttpRequest {
  kind: "rest-v1" | "http-v2";
  method: string;
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  query: Record<string, string>;
  /** The body exactly as received (still base64 when `isBase64Encoded`). */
  rawBody: string | undefined;
  isBase64Encoded: boolean;
  requestId: string | undefined;
}

export interface DirectRequest {
  kind: "direct";
  payload: unknown;
}

export type NormalizedRequest = HttpRequest | DirectRequest;

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: false;
}

type UnknownRecord = Record<string, unknown>;

const isRecord = (value: unknown): value is UnknownRecord =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const stringOrUndefined = (value: unknown): string | undefined =>
  typeof value === "string" ? value : undefined;

function stringMap(value: unknown, lowerCaseKeys: boolean): Record<string, string> {
  const result: Record<string, string> = {};
  if (!isRecord(value)) return result;
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry === "string") result[lowerCaseKeys ? key.toLowerCase() : key] = entry;
  }
  return result;
}

function queryFromRaw(rawQuery: string): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawQuery)) query[key] ??= value;
  return query;
}

function isHttpV2(event: UnknownRecord): boolean {
  return event.version === "2.0" || (isRecord(event.requestContext) && isRecord(event.requestContext.http));
}

function isRestV1(event: UnknownRecord): boolean {
  return "httpMethod" in event && isRecord(event.requestContext);
}

/** HTTP API v2 payloads keep a named stage in rawPath (`/prod/predict`); routes do not include it. */
function stripStage(path: string, stage: unknown): string {
  if (typeof stage !== "string" || stage === "" || stage === "$default") return path;
  const prefix = `/${stage}`;
  if (path === prefix) return "/";
  return path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : path;
}

const malformed = (what: string): HttpError =>
  new HttpError(
    400,
    "malformed_event",
    `The event is not a valid API Gateway or function URL event: ${what}.`,
  );

function normalizeV2(event: UnknownRecord): HttpRequest {
  const context = isRecord(event.requestContext) ? event.requestContext : {};
  const http = isRecord(context.http) ? context.http : {};
  const method = stringOrUndefined(http.method);
  const rawPath = stringOrUndefined(event.rawPath) ?? stringOrUndefined(http.path);
  if (method === undefined) throw malformed("requestContext.http.method is missing");
  if (rawPath === undefined) throw malformed("rawPath is missing");
  const rawQuery = stringOrUndefined(event.rawQueryString);
  return {
    kind: "http-v2",
    method: method.toUpperCase(),
    path: stripStage(rawPath, context.stage),
    headers: stringMap(event.headers, true),
    query: rawQuery !== undefined ? queryFromRaw(rawQuery) : stringMap(event.queryStringParameters, false),
    rawBody: stringOrUndefined(event.body),
    isBase64Encoded: event.isBase64Encoded === true,
    requestId: stringOrUndefined(context.requestId),
  };
}

function normalizeV1(event: UnknownRecord): HttpRequest {
  const context = isRecord(event.requestContext) ? event.requestContext : {};
  const method = stringOrUndefined(event.httpMethod);
  const path = stringOrUndefined(event.path) ?? stringOrUndefined(context.path);
  if (method === undefined) throw malformed("httpMethod is missing");
  if (path === undefined) throw malformed("path is missing");
  return {
    kind: "rest-v1",
    method: method.toUpperCase(),
    path,
    headers: stringMap(event.headers, true),
    query: stringMap(event.queryStringParameters, false),
    rawBody: stringOrUndefined(event.body),
    isBase64Encoded: event.isBase64Encoded === true,
    requestId: stringOrUndefined(context.requestId),
  };
}

/** Throws HttpError (400) when an event claims to be an HTTP event but is unusable. */
export function normalizeEvent(event: unknown): NormalizedRequest {
  if (!isRecord(event)) return { kind: "direct", payload: event };
  if (isHttpV2(event)) return normalizeV2(event);
  if (isRestV1(event)) return normalizeV1(event);
  return { kind: "direct", payload: event };
}

/** The kind of event, for answering even when normalizeEvent rejected it. */
export function eventKind(event: unknown): EventKind {
  if (!isRecord(event)) return "direct";
  if (isHttpV2(event)) return "http-v2";
  return isRestV1(event) ? "rest-v1" : "direct";
}

export type { APIGatewayProxyEvent, APIGatewayProxyEventV2 };
