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

  // "e30=" is {} in base64: each of these is that plus something base64 does not allow there.
  test.each(["e30=#", "#e30=", "e3 0=", "e30===", "e30=\r\nx", "e3=0", "e30=!"])(
    "%j marked base64 is refused as not base64",
    (raw) => {
      const error = errorOf(() => decodeBody(raw, true, limits));
      expect([error.status, error.code, error.message]).toEqual([
        400,
        "invalid_base64",
        "The body is marked base64-encoded but is not base64.",
      ]);
    },
  );

  test.each([
    ["e30=", "{}"],
    ["YQ==", "a"],
    ["YWI=", "ab"],
    ["YWJj", "abc"],
    ["YW\r\nJj\r\n", "abc"],
    ["e30=\n", "{}"],
  ])("base64 %j decodes to %j", (raw, text) => {
    expect(decodeBody(raw, true, limits)).toBe(text);
  });

  test("bytes that are not UTF-8 are a 400 saying so", () => {
    const error = errorOf(() => decodeBody(Buffer.from([0xc3, 0x28]).toString("base64"), true, limits));
    expect([error.code, error.message]).toEqual(["invalid_utf8", "The body is not valid UTF-8 text."]);
  });

  test("exactly the limit is accepted", () => {
    expect(decodeBody("x".repeat(100), false, limits)).toHaveLength(100);
  });

  test("a base64 body of exactly the limit is accepted, a trailing line break included", () => {
    const base64 = Buffer.from("x".repeat(100)).toString("base64");
    expect(decodeBody(base64, true, limits)).toBe("x".repeat(100));
    expect(decodeBody(`${base64}\r\n`, true, limits)).toBe("x".repeat(100));
  });

  test("a base64 body one byte over the limit is a 413 naming the limit", () => {
    const error = errorOf(() => decodeBody(Buffer.from("x".repeat(101)).toString("base64"), true, limits));
    expect([error.status, error.code, error.message]).toEqual([
      413,
      "payload_too_large",
      "The body is larger than the limit of 100 bytes.",
    ]);
  });

  test("multi-byte text is measured in UTF-8 bytes: 50 × é (100 bytes) is accepted", () => {
    expect(decodeBody("é".repeat(50), false, limits)).toBe("é".repeat(50));
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
    " ",
    'application/json; charset="utf-8"',
    "application/json; version=2; charset=utf-8",
    "application/problem+json",
  ])("accepts %j", (contentType) => expect(() => checkContentType(contentType)).not.toThrow());
  test.each([
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "application/json; charset=latin1",
    "application/json; version=2; charset=latin1",
    "application/json; charset=",
    "json",
    "xapplication/json",
    "text/application/x+json",
    "application/x+jsonp",
    "xapplication/x+json",
    "application/+json",
    "application/json-seq",
  ])("refuses %j with 415", (contentType) =>
    expect(errorOf(() => checkContentType(contentType)).status).toBe(415),
  );
});

test("the 415 names the content type sent (its first 100 characters) and the one to send", () => {
  expect(errorOf(() => checkContentType("text/plain")).message).toBe(
    'Content-Type "text/plain" is not supported; send Content-Type: application/json (UTF-8).',
  );
  const long = `text/${"x".repeat(200)}`;
  expect(errorOf(() => checkContentType(long)).message).toContain(`"${long.slice(0, 100)}" is not supported`);
  expect(errorOf(() => checkContentType(long)).code).toBe("unsupported_media_type");
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
    ["[[],[],[],[],[]]", 2, false],
    ['{"a":{},"b":{},"c":{"d":[]}}', 3, false],
    ['[{"a":"}"},[[1]]]', 3, false],
    ['""[[[', 2, true],
  ])("text %j over %i: %s", (text, max, expected) => {
    expect(jsonTextDepthExceeds(text, max)).toBe(expected);
  });

  test("value depth is measured without recursion", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(jsonDepthExceeds(deep, 32)).toBe(true);
    expect(jsonDepthExceeds({ a: [1] }, 2)).toBe(false);
  });

  test("a value nested exactly the limit deep passes; one level more does not", () => {
    let value: unknown = 1;
    for (let i = 0; i < 32; i += 1) value = [value];
    expect(jsonDepthExceeds(value, 32)).toBe(false);
    expect(jsonDepthExceeds([value], 32)).toBe(true);
  });

  test("null and strings inside a value add no nesting", () => {
    expect(jsonDepthExceeds({ a: null, b: "s", c: 1 }, 1)).toBe(false);
    expect(jsonDepthExceeds({ a: {} }, 1)).toBe(true);
  });

  test("parseJsonBody: blank text is empty_body, broken JSON is invalid_json with the parser's reason", () => {
    expect(errorOf(() => parseJsonBody(" \n ")).code).toBe("empty_body");
    expect(errorOf(() => parseJsonBody(" \n ")).message).toBe(
      'The body is empty; send JSON like {"text": "..."}.',
    );
    const broken = errorOf(() => parseJsonBody('{"text": }'));
    expect(broken.code).toBe("invalid_json");
    expect(broken.message).toMatch(/^The body is not valid JSON \(.+\)\.$/);
    expect(parseJsonBody('{"text": "a"}')).toEqual({ text: "a" });
  });

  test("too deep text is a 400 naming the limit", () => {
    const error = errorOf(() => parseJsonBody("[".repeat(33)));
    expect([error.status, error.code, error.message]).toEqual([
      400,
      "too_deep",
      "The JSON is nested deeper than 32 levels.",
    ]);
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

  // The message is part of the answer (a 400 the client reads), so each one is pinned with its code.
  test.each([
    [{}, "missing_text", 'The body has no "text" field; send {"text": "..."} or {"texts": [...]}.'],
    [{ text: "" }, "empty_text", '"text" is empty; send the text to classify.'],
    [{ text: " \n\t" }, "empty_text", '"text" is empty; send the text to classify.'],
    [{ text: "x".repeat(21) }, "text_too_long", '"text" is longer than 20 characters.'],
    [{ text: 1 }, "invalid_text", '"text" must be a string, got number.'],
    [{ text: null }, "invalid_text", '"text" must be a string, got null.'],
    [{ texts: ["a", 5] }, "invalid_text", '"texts"[1] must be a string, got number.'],
    [{ texts: ["a", "b", "c", "d"] }, "batch_too_large", '"texts" has 4 items; the limit is 3 per request.'],
    [{ texts: [] }, "empty_batch", '"texts" is empty; send 1 or more strings.'],
    [{ texts: {} }, "invalid_texts", '"texts" must be an array of strings.'],
    [{ texts: "a" }, "invalid_texts", '"texts" must be an array of strings.'],
    [{ text: "a", texts: ["b"] }, "ambiguous_request", 'Send either "text" or "texts", not both.'],
    [{ text: "a", top: 1001 }, "invalid_top", '"top" must be an integer from 1 to 1000.'],
    [[], "invalid_request", 'The body must be a JSON object like {"text": "..."} or {"texts": [...]}.'],
    [null, "invalid_request", 'The body must be a JSON object like {"text": "..."} or {"texts": [...]}.'],
    ["text", "invalid_request", 'The body must be a JSON object like {"text": "..."} or {"texts": [...]}.'],
  ])("%j → %s", (body, code, message) => {
    const error = errorOf(() => parsePredictRequest(body, undefined, limits));
    expect([error.status, error.code, error.message]).toEqual([400, code, message]);
  });

  test("a batch of exactly the limit is accepted", () => {
    expect(parsePredictRequest({ texts: ["a", "b", "c"] }, undefined, limits)).toEqual({
      kind: "batch",
      texts: ["a", "b", "c"],
      topK: 3,
    });
  });

  test("a direct invocation (a parsed object, no JSON text) is held to the nesting limit too", () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < 40; i += 1) deep = { d: deep };
    const error = errorOf(() => parsePredictRequest({ text: "a", deep }, undefined, limits));
    expect([error.status, error.code]).toEqual([400, "too_deep"]);
  });

  test("a text of exactly the character limit is accepted", () => {
    expect(parsePredictRequest({ text: "x".repeat(20) }, undefined, limits)).toMatchObject({
      text: "x".repeat(20),
    });
  });

  test.each([
    ["1", 1],
    ["10", 10],
    ["999", 999],
    ["1000", 1000],
  ])("query top %j is accepted as %i", (top, expected) => {
    expect(parsePredictRequest({ text: "a" }, top, limits)).toMatchObject({ topK: expected });
  });

  test.each([1, 1000])("body top %i is accepted", (top) => {
    expect(parsePredictRequest({ text: "a", top }, undefined, limits)).toMatchObject({ topK: top });
  });

  test.each([0, -1, 1.5, "2", null])("body top %j is refused", (top) => {
    expect(errorOf(() => parsePredictRequest({ text: "a", top }, undefined, limits)).code).toBe(
      "invalid_top",
    );
  });

  test.each(["0", "-1", "1.5", "abc", "", "99999", "1001", "5000", " 5", "5 "])(
    "query top %j is refused",
    (top) => {
      const error = errorOf(() => parsePredictRequest({ text: "a" }, top, limits));
      expect([error.code, error.message]).toEqual([
        "invalid_top",
        "Query parameter top must be an integer from 1 to 1000.",
      ]);
    },
  );
});
