import { beforeAll, expect, test } from "vitest";
import type { Service } from "../../src/service.js";
import { type HttpCall, EVENT_BUILDERS, httpV2Event, json, restV1Event } from "../support/events.js";
import { bodyOf, createTestService, statusOf } from "../support/service-under-test.js";

let service: Service;
beforeAll(async () => {
  service = await createTestService({ MAX_BODY_BYTES: "4096", MAX_BATCH_SIZE: "5", MAX_TEXT_CHARS: "1000" });
});

const post = (
  body: string | undefined,
  headers: Record<string, string> = {},
  extra: Partial<HttpCall> = {},
): HttpCall => ({
  method: "POST",
  path: "/predict",
  body,
  headers,
  ...extra,
});

const CASES: Array<[string, HttpCall, number, string]> = [
  ["invalid JSON", post("{not json"), 400, "invalid_json"],
  ["empty body", post(""), 400, "empty_body"],
  ["no body", post(undefined), 400, "empty_body"],
  ["JSON that is not an object", post("[1,2]"), 400, "invalid_request"],
  ["JSON null", post("null"), 400, "invalid_request"],
  [
    "missing text (the seed crashed here)",
    post(json({ not_the_right_one: "example input" })),
    400,
    "missing_text",
  ],
  ["empty text", post(json({ text: "" })), 400, "empty_text"],
  ["whitespace-only text", post(json({ text: " \n\t " })), 400, "empty_text"],
  ["numeric text", post(json({ text: 42 })), 400, "invalid_text"],
  ["null text", post(json({ text: null })), 400, "invalid_text"],
  ["array text", post(json({ text: ["a"] })), 400, "invalid_text"],
  ["text over the length limit", post(json({ text: "a".repeat(1001) })), 400, "text_too_long"],
  ["both text and texts", post(json({ text: "a", texts: ["b"] })), 400, "ambiguous_request"],
  ["texts not an array", post(json({ texts: "abc" })), 400, "invalid_texts"],
  ["empty batch", post(json({ texts: [] })), 400, "empty_batch"],
  ["a number in a batch", post(json({ texts: ["ok", 7] })), 400, "invalid_text"],
  ["too many items", post(json({ texts: Array(6).fill("x") })), 400, "batch_too_large"],
  ["top of zero", post(json({ text: "a", top: 0 })), 400, "invalid_top"],
  ["fractional top", post(json({ text: "a", top: 1.5 })), 400, "invalid_top"],
  ["string top", post(json({ text: "a", top: "2" })), 400, "invalid_top"],
  ["bad top query", post(json({ text: "a" }), {}, { query: { top: "-1" } }), 400, "invalid_top"],
  ["deep nesting", post(`{"text":"a","x":${"[".repeat(100)}${"]".repeat(100)}}`), 400, "too_deep"],
  ["a body that is not JSON at all", post("%%%not-json%%%"), 400, "invalid_json"],
  ["body over the size limit", post(json({ text: "a".repeat(5000) })), 413, "payload_too_large"],
  ["multi-byte body over the size limit", post(json({ text: "é".repeat(2100) })), 413, "payload_too_large"],
  [
    "form content type",
    post(json({ text: "a" }), { "content-type": "application/x-www-form-urlencoded" }),
    415,
    "unsupported_media_type",
  ],
  ["text/plain", post(json({ text: "a" }), { "content-type": "text/plain" }), 415, "unsupported_media_type"],
  [
    "JSON in latin-1",
    post(json({ text: "a" }), { "content-type": "application/json; charset=iso-8859-1" }),
    415,
    "unsupported_media_type",
  ],
  ["unknown path", { method: "POST", path: "/predictions", body: json({ text: "a" }) }, 404, "not_found"],
  ["unknown path for GET", { method: "GET", path: "/admin" }, 404, "not_found"],
  ["GET on /predict", { method: "GET", path: "/predict" }, 405, "method_not_allowed"],
  ["PUT on /", { method: "PUT", path: "/", body: json({ text: "a" }) }, 405, "method_not_allowed"],
  ["POST on /health", { method: "POST", path: "/health" }, 405, "method_not_allowed"],
  ["DELETE on /health", { method: "DELETE", path: "/health" }, 405, "method_not_allowed"],
];

test.each(Object.keys(EVENT_BUILDERS))("the error table holds for %s events", async (kind) => {
  const build = EVENT_BUILDERS[kind as keyof typeof EVENT_BUILDERS];
  for (const [name, call, status, code] of CASES) {
    const result = await service.handler(build(call));
    expect([name, statusOf(result)]).toEqual([name, status]);
    const body = bodyOf(result) as { error: { code: string; message: string } };
    expect([name, body.error.code]).toEqual([name, code]);
    expect(body.error.message.length).toBeGreaterThan(10);
    expect((result as { headers: Record<string, string> }).headers["content-type"]).toBe("application/json");
  }
});

test.each([
  [null, "invalid_request"],
  ["just a string", "invalid_request"],
  [[{ text: "a" }], "invalid_request"],
  [{}, "missing_text"],
  [{ text: 42 }, "invalid_text"],
  [{ text: "" }, "empty_text"],
  [{ texts: [] }, "empty_batch"],
  [{ texts: ["a", null] }, "invalid_text"],
  [{ texts: Array(6).fill("x") }, "batch_too_large"],
  [{ text: "a", top: -3 }, "invalid_top"],
])("direct invoke of %j answers the error %s instead of throwing", async (payload, code) => {
  const result = (await service.handler(payload)) as { error?: { code: string; message: string } };
  expect(result.error?.code).toBe(code);
  expect(result.error?.message).toEqual(expect.any(String));
});

test("405 names the allowed methods in an Allow header", async () => {
  const result = (await service.handler(httpV2Event({ method: "GET", path: "/predict" }))) as {
    headers: Record<string, string>;
  };
  expect(result.headers.allow).toBe("POST, OPTIONS");
});

test("broken base64 in a base64-flagged body is a 400", async () => {
  const event = restV1Event({ method: "POST", path: "/predict", body: "x" });
  event.body = "!!!! not base64 !!!!";
  event.isBase64Encoded = true;
  const result = await service.handler(event);
  expect(statusOf(result)).toBe(400);
  expect((bodyOf(result).error as { code: string }).code).toBe("invalid_base64");
});

test("base64 bytes that are not UTF-8 are a 400", async () => {
  const event = httpV2Event({ method: "POST", path: "/predict" });
  event.body = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString("base64");
  event.isBase64Encoded = true;
  const result = await service.handler(event);
  expect(statusOf(result)).toBe(400);
  expect((bodyOf(result).error as { code: string }).code).toBe("invalid_utf8");
});

test("an HTTP-looking event without a method is a 400, not a crash", async () => {
  const result = await service.handler({ version: "2.0", requestContext: { http: {} }, rawPath: "/predict" });
  expect(statusOf(result)).toBe(400);
  expect((bodyOf(result).error as { code: string }).code).toBe("malformed_event");
});

test("a lone surrogate in the text is classified, not rejected", async () => {
  const result = await service.handler(
    httpV2Event({ method: "POST", path: "/predict", body: '{"text":"rocket \\ud800 launch"}' }),
  );
  expect(statusOf(result)).toBe(200);
});
