import { describe, expect, test } from "vitest";
import { HttpError } from "../../src/errors.js";
import { DEFAULT_LIMITS } from "../../src/limits.js";
import {
  checkContentType,
  decodeBody,
  jsonDepthExceeds,
  jsonTextDepthExceeds,
  parseJsonBody,
  parsePredictRequest,
} from "../../src/request.js";

const limits = { ...DEFAULT_LIMITS, maxBodyBytes: 100, maxBatchSize: 3, maxTextChars: 20 };

function errorOf(action: () => unknown): HttpError {
  try {
    action();
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error("expected an HttpError");
}

describe("decodeBody", () => {
  test.each([
    [undefined, false, ""],
    ["", false, ""],
    ['{"text":"a"}', false, '{"text":"a"}'],
    [Buffer.from('{"text":"é"}').toString("base64"), true, '{"text":"é"}'],
  ])("%j (base64 %s) → %j", (raw, base64, expected) => {
    expect(decodeBody(raw, base64, limits)).toBe(expected);
  });

  test.each([
    ["x".repeat(101), false, 413],
    ["é".repeat(51), false, 413],
    [Buffer.alloc(101).toString("base64"), true, 413],
    ["not base64!", true, 400],
    [Buffer.from([0xc3, 0x28]).toString("base64"), true, 400],
  ])("%#: rejects with %i", (raw, base64, status) => {
    expect(errorOf(() => decodeBody(raw, base64, limits)).status).toBe(status);
  });

  test("exactly the limit is accepted", () => {
    expect(decodeBody("x".repeat(100), false, limits)).toHaveLength(100);
  });
});

describe("checkContentType", () => {
  test.each([
    undefined,
    "",
    "application/json",
    "Application/JSON; charset=UTF-8",
    "application/vnd.api+json",
    "application/json;charset=utf8",
  ])("accepts %j", (contentType) => expect(() => checkContentType(contentType)).not.toThrow());
  test.each([
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "application/json; charset=latin1",
    "json",
  ])("refuses %j with 415", (contentType) =>
    expect(errorOf(() => checkContentType(contentType)).status).toBe(415),
  );
});

describe("JSON depth", () => {
  test.each([
    ['{"a":[1,2,{"b":3}]}', 3, false],
    ['{"a":[1,2,{"b":3}]}', 2, true],
    ['{"text":"[[[[[[[[[[[[["}', 2, false],
    ['{"text":"\\"[[[[[["}', 2, false],
    ['{"t":"ends in a backslash\\\\","u":[[[1]]]}', 3, true],
    ['{"t":"\\\\\\"[[[[","u":[1]}', 2, false],
    ['{"t":"never closed [[[[', 2, false],
    ["[".repeat(1000), 32, true],
  ])("text %j over %i: %s", (text, max, expected) => {
    expect(jsonTextDepthExceeds(text, max)).toBe(expected);
  });

  test("value depth is measured without recursion", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(jsonDepthExceeds(deep, 32)).toBe(true);
    expect(jsonDepthExceeds({ a: [1] }, 2)).toBe(false);
  });

  test("parseJsonBody refuses deep text before parsing it", () => {
    expect(errorOf(() => parseJsonBody("[".repeat(100_000))).code).toBe("too_deep");
  });
});

describe("parsePredictRequest", () => {
  test("a single text, with the default top-k", () => {
    expect(parsePredictRequest({ text: "hello", extra: 1 }, undefined, limits)).toEqual({
      kind: "single",
      text: "hello",
      topK: 3,
      body: { text: "hello", extra: 1 },
    });
  });

  test("a batch, with top from the query", () => {
    expect(parsePredictRequest({ texts: ["a b", "c d"] }, "5", limits)).toEqual({
      kind: "batch",
      texts: ["a b", "c d"],
      topK: 5,
    });
  });

  test("top in the body wins over the query", () => {
    expect(parsePredictRequest({ text: "x", top: 1 }, "5", limits)).toMatchObject({ topK: 1 });
  });

  test("lone surrogates become U+FFFD; paired ones stay", () => {
    expect(parsePredictRequest({ text: "a\ud800b🚀\udc00" }, undefined, limits)).toMatchObject({
      text: "a\ufffdb🚀\ufffd",
    });
  });

  test.each([
    [{}, "missing_text"],
    [{ text: "" }, "empty_text"],
    [{ text: "x".repeat(21) }, "text_too_long"],
    [{ text: 1 }, "invalid_text"],
    [{ texts: ["a", "b", "c", "d"] }, "batch_too_large"],
    [{ texts: {} }, "invalid_texts"],
    [{ text: "a", texts: ["b"] }, "ambiguous_request"],
    [{ text: "a", top: 1001 }, "invalid_top"],
    [[], "invalid_request"],
  ])("%j → %s", (body, code) => {
    expect(errorOf(() => parsePredictRequest(body, undefined, limits)).code).toBe(code);
  });

  test.each(["0", "-1", "1.5", "abc", "", "99999"])("query top %j is refused", (top) => {
    expect(errorOf(() => parsePredictRequest({ text: "a" }, top, limits)).code).toBe("invalid_top");
  });
});
