import { expect, test } from "vitest";
import { HttpError } from "../../src/errors.js";
import { eventKind, normalizeEvent } from "../../src/events.js";
import { functionUrlEvent, httpV2Event, restV1Event } from "../support/events.js";

test.each([
  ["REST v1", restV1Event({ method: "post", path: "/predict", query: { top: "2" } }), "rest-v1", "/predict"],
  ["HTTP v2", httpV2Event({ method: "POST", path: "/predict", query: { top: "2" } }), "http-v2", "/predict"],
  [
    "HTTP v2 on a stage",
    httpV2Event({ method: "POST", path: "/predict", query: { top: "2" } }, "prod"),
    "http-v2",
    "/predict",
  ],
  [
    "function URL",
    functionUrlEvent({ method: "POST", path: "/predict", query: { top: "2" } }),
    "http-v2",
    "/predict",
  ],
])("%s is normalized", (_name, event, kind, path) => {
  const request = normalizeEvent(event);
  expect(request).toMatchObject({ kind, method: "POST", path, query: { top: "2" } });
  expect(eventKind(event)).toBe(kind);
});

test("header names are lower-cased and non-string values dropped", () => {
  const request = normalizeEvent({
    httpMethod: "GET",
    path: "/",
    requestContext: {},
    headers: { "Content-Type": "application/json", "X-N": 5 },
  });
  expect(request).toMatchObject({ headers: { "content-type": "application/json" } });
});

test("a stage prefix is stripped only when it is the stage", () => {
  const event = httpV2Event({ method: "GET", path: "/health" }, "prod");
  expect(normalizeEvent(event)).toMatchObject({ path: "/health" });
  event.rawPath = "/production/health";
  expect(normalizeEvent(event)).toMatchObject({ path: "/production/health" });
  event.rawPath = "/prod";
  expect(normalizeEvent(event)).toMatchObject({ path: "/" });
});

test.each([null, 5, "text", [1], { text: "a" }, { httpMethod: "GET" }])("%j is a direct invoke", (event) => {
  expect(normalizeEvent(event)).toEqual({ kind: "direct", payload: event });
});

test.each([
  { version: "2.0", rawPath: "/", requestContext: { http: { method: 5 } } },
  { version: "2.0", requestContext: { http: { method: "GET" } } },
  { httpMethod: 7, path: "/", requestContext: {} },
  { httpMethod: "GET", requestContext: {} },
])("an unusable HTTP event %j is a 400", (event) => {
  expect(() => normalizeEvent(event)).toThrow(HttpError);
});

test("a v2 event without rawQueryString reads its query from queryStringParameters", () => {
  const event: Record<string, unknown> = { ...httpV2Event({ method: "POST", path: "/predict" }) };
  delete event.rawQueryString;
  event.queryStringParameters = { top: "4", Mode: "x" };
  expect(normalizeEvent(event)).toMatchObject({ query: { top: "4", Mode: "x" } });
});

test("a v2 rawQueryString wins over queryStringParameters; a repeated name keeps its first value", () => {
  const event = { ...httpV2Event({ method: "POST", path: "/predict" }), rawQueryString: "top=2&top=9" };
  event.queryStringParameters = { top: "2,9" };
  expect(normalizeEvent(event)).toMatchObject({ query: { top: "2" } });
});

test("v2 header names are lower-cased and non-string values dropped", () => {
  const event = httpV2Event({ method: "post", path: "/predict" });
  (event as { headers: unknown }).headers = { "Content-Type": "text/plain", "X-Count": 5, "X-Null": null };
  expect(normalizeEvent(event)).toMatchObject({
    method: "POST",
    headers: { "content-type": "text/plain" },
  });
  expect((normalizeEvent(event) as { headers: object }).headers).toEqual({ "content-type": "text/plain" });
});

test("v1 query names keep their case (only header names are case-insensitive)", () => {
  const request = normalizeEvent(restV1Event({ method: "GET", path: "/", query: { Top: "2", top: "3" } }));
  expect(request).toMatchObject({ query: { Top: "2", top: "3" } });
});

test("v1 header values that are not strings are dropped; the rest are kept", () => {
  const request = normalizeEvent({
    httpMethod: "GET",
    path: "/",
    requestContext: {},
    headers: { Accept: "application/json", "X-List": ["a"], "X-Null": null },
  });
  expect((request as { headers: object }).headers).toEqual({ accept: "application/json" });
});

test.each([
  ["only version 2.0", { version: "2.0", rawPath: "/health", requestContext: {} }],
  ["only requestContext.http", { rawPath: "/health", requestContext: { http: { method: "get" } } }],
])("a v2 event is recognised by %s", (_name, event) => {
  expect(eventKind(event)).toBe("http-v2");
});

test("version 2.0 alone is enough to read an event as v2 (and refuse it without a method)", () => {
  const event = { version: "2.0", httpMethod: "GET", path: "/", requestContext: {} };
  expect(eventKind(event)).toBe("http-v2");
  expect(() => normalizeEvent(event)).toThrow(/requestContext.http.method is missing/);
});

test("requestContext.http alone is enough to read an event as v2", () => {
  const event = { rawPath: "/health", requestContext: { http: { method: "get" }, requestId: "r1" } };
  expect(normalizeEvent(event)).toEqual({
    kind: "http-v2",
    method: "GET",
    path: "/health",
    headers: {},
    query: {},
    rawBody: undefined,
    isBase64Encoded: false,
    requestId: "r1",
  });
});

test("a v1 event is read field by field", () => {
  const event = restV1Event({ method: "post", path: "/predict", body: "e30=", base64: false });
  expect(normalizeEvent({ ...event, isBase64Encoded: "true" })).toEqual({
    kind: "rest-v1",
    method: "POST",
    path: "/predict",
    headers: { "content-type": "application/json" },
    query: {},
    rawBody: "e30=",
    isBase64Encoded: false,
    requestId: "rest-request-id",
  });
});

test("a v1 event without path takes requestContext.path", () => {
  expect(normalizeEvent({ httpMethod: "GET", requestContext: { path: "/prod/health" } })).toMatchObject({
    path: "/prod/health",
  });
});

test.each([
  [
    { version: "2.0", rawPath: "/", requestContext: { http: { method: 5 } } },
    "requestContext.http.method is missing",
  ],
  [{ version: "2.0", rawPath: "/" }, "requestContext.http.method is missing"],
  [{ version: "2.0", requestContext: { http: { method: "GET" } } }, "rawPath is missing"],
  [{ httpMethod: 7, path: "/", requestContext: {} }, "httpMethod is missing"],
  [{ httpMethod: "GET", requestContext: {} }, "path is missing"],
])("an unusable HTTP event %j is a 400 that says what is missing", (event, what) => {
  let error: unknown;
  try {
    normalizeEvent(event);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(HttpError);
  expect(error).toMatchObject({
    status: 400,
    code: "malformed_event",
    message: `The event is not a valid API Gateway or function URL event: ${what}.`,
  });
});

test("a v2 event without rawPath takes requestContext.http.path", () => {
  const event = { version: "2.0", requestContext: { http: { method: "GET", path: "/health" } } };
  expect(normalizeEvent(event)).toMatchObject({ path: "/health" });
});

test.each([
  [true, true],
  ["true", false],
  [1, false],
])("isBase64Encoded %j reads as %s, in v1 and v2 alike", (flag, expected) => {
  const v2 = { ...httpV2Event({ method: "POST", path: "/predict", body: "e30=" }), isBase64Encoded: flag };
  const v1 = { ...restV1Event({ method: "POST", path: "/predict", body: "e30=" }), isBase64Encoded: flag };
  expect(normalizeEvent(v2)).toMatchObject({ isBase64Encoded: expected, rawBody: "e30=" });
  expect(normalizeEvent(v1)).toMatchObject({ isBase64Encoded: expected, rawBody: "e30=" });
});

test.each([
  ["$default", "/$default/predict", "/$default/predict"],
  ["", "//predict", "//predict"],
  [5, "/5/predict", "/5/predict"],
  ["prod", "/prod/predict", "/predict"],
])("only a named stage (%j) is stripped from %s", (stage, rawPath, path) => {
  const event = { version: "2.0", rawPath, requestContext: { stage, http: { method: "GET" } } };
  expect(normalizeEvent(event)).toMatchObject({ path });
});

test.each([null, 5, "text", [1], { text: "a" }, { httpMethod: "GET" }, { requestContext: {} }])(
  "eventKind of %j is direct",
  (event) => {
    expect(eventKind(event)).toBe("direct");
  },
);
