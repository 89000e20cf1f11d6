import { expect, test } from "vitest";
import { corsHeaders, parseAllowedOrigins, preflightHeaders } from "../../src/cors.js";

test.each([
  [undefined, []],
  ["", []],
  ["https://a.example", ["https://a.example"]],
  [" https://a.example/ , https://b.example ,, ", ["https://a.example", "https://b.example"]],
  ["*", ["*"]],
])("parseAllowedOrigins(%j) = %j", (value, expected) => {
  expect(parseAllowedOrigins(value)).toEqual(expected);
});

const policy = { allowedOrigins: ["https://a.example"], maxAgeSeconds: 600 };

test.each([
  ["https://a.example", "https://a.example"],
  ["https://b.example", undefined],
  ["https://a.example.evil.com", undefined],
  [undefined, undefined],
])("origin %j → allow-origin %j", (origin, expected) => {
  expect(corsHeaders(policy, origin)["access-control-allow-origin"]).toBe(expected);
  expect(corsHeaders(policy, origin).vary).toBe("Origin");
});

test("no configured origins: no headers at all", () => {
  expect(corsHeaders({ allowedOrigins: [], maxAgeSeconds: 1 }, "https://a.example")).toEqual({});
});

test("preflight headers name methods, headers and max age", () => {
  expect(preflightHeaders(policy, "https://a.example", ["POST", "OPTIONS"])).toEqual({
    vary: "Origin",
    allow: "POST, OPTIONS",
    "access-control-allow-origin": "https://a.example",
    "access-control-expose-headers": "x-request-id",
    "access-control-allow-methods": "POST, OPTIONS",
    "access-control-allow-headers": "content-type, authorization, x-api-key",
    "access-control-max-age": "600",
  });
});
