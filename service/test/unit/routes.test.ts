import { expect, test } from "vitest";
import { HttpError } from "../../src/errors.js";
import { allowedMethods, canonicalPath, matchRoute } from "../../src/routes.js";

test.each([
  ["POST", "/v1/predict", { kind: "route", route: "predict" }],
  ["POST", "/v1/predict/", { kind: "route", route: "predict" }],
  ["GET", "/v1/health", { kind: "route", route: "health" }],
  ["HEAD", "/v1/health", { kind: "route", route: "health" }],
  ["OPTIONS", "/v1/predict", { kind: "preflight", allowedMethods: ["POST", "OPTIONS"] }],
  ["POST", "/", { kind: "route", route: "predict" }],
  ["POST", "/predict", { kind: "route", route: "predict" }],
  ["POST", "/predict/", { kind: "route", route: "predict" }],
  ["POST", "//predict", { kind: "route", route: "predict" }],
  ["GET", "/health", { kind: "route", route: "health" }],
  ["HEAD", "/health", { kind: "route", route: "health" }],
  ["OPTIONS", "/predict", { kind: "preflight", allowedMethods: ["POST", "OPTIONS"] }],
  ["OPTIONS", "/health", { kind: "preflight", allowedMethods: ["GET", "HEAD", "OPTIONS"] }],
])("%s %s → %j", (method, path, expected) => {
  expect(matchRoute(method, path)).toEqual(expected);
});

test.each([
  ["GET", "/predict", 405],
  ["PUT", "/", 405],
  ["POST", "/health", 405],
  ["POST", "/Predict", 404],
  ["GET", "/favicon.ico", 404],
  ["POST", "/predict/extra", 404],
  ["GET", "/v1/predict", 405],
  ["POST", "/v1/health", 405],
  ["POST", "/v1", 404],
  ["POST", "/v2/predict", 404],
])("%s %s → %i", (method, path, status) => {
  expect(() => matchRoute(method, path)).toThrow(HttpError);
  expect(() => matchRoute(method, path)).toThrow(expect.objectContaining({ status }));
});

test("405 carries the Allow header", () => {
  expect(() => matchRoute("DELETE", "/health")).toThrow(
    expect.objectContaining({ headers: { allow: "GET, HEAD, OPTIONS" } }),
  );
});

test.each([
  ["", "/"],
  ["/", "/"],
  ["///", "/"],
  ["/predict///", "/predict"],
])("canonicalPath(%j) = %j", (path, expected) => {
  expect(canonicalPath(path)).toBe(expected);
});

test("allowedMethods is undefined for unknown paths", () => {
  expect(allowedMethods("/nope")).toBeUndefined();
  expect(allowedMethods("/")).toEqual(["POST", "OPTIONS"]);
});
