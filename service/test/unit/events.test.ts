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
