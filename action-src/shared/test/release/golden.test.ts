import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { checkGoldenAnswers, readAnswer, readGoldenFile } from "../../src/release/golden.js";

describe("readGoldenFile", () => {
  test("a missing or broken file is a one-line input error naming it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "golden-"));
    await expect(readGoldenFile(join(dir, "none.json"))).rejects.toThrow(/none\.json" cannot be read/);
    writeFileSync(join(dir, "bad.json"), "{oops");
    await expect(readGoldenFile(join(dir, "bad.json"))).rejects.toThrow(/bad\.json" is not valid JSON/);
    writeFileSync(join(dir, "empty.json"), "[]");
    await expect(readGoldenFile(join(dir, "empty.json"))).rejects.toThrow(
      /empty\.json" must be a non-empty JSON array/,
    );
  });
});

describe("readAnswer", () => {
  test.each([
    [
      "a direct reply",
      { label: "sci.space", response: "sci.space", model: { sha256: "m1" } },
      { label: "sci.space", modelSha256: "m1" },
    ],
    ["the seed's reply shape", { response: "rec.autos" }, { label: "rec.autos", modelSha256: undefined }],
    [
      "an HTTP-shaped reply",
      { statusCode: 200, body: JSON.stringify({ label: "talk.politics.misc" }) },
      { label: "talk.politics.misc", modelSha256: undefined },
    ],
    [
      "an HTTP error",
      { statusCode: 400, body: JSON.stringify({ error: { message: "text is required" } }) },
      { error: "HTTP 400: text is required" },
    ],
    ["an error field", { error: "boom" }, { error: "boom" }],
    ["not an object", "hello", { error: "the reply is not a JSON object" }],
  ])("%s", (_name, payload, expected) => {
    expect(readAnswer(payload)).toEqual(expected);
  });
});

describe("checkGoldenAnswers", () => {
  const cases = [
    { request: { text: "a" }, expect: "x" },
    { request: { text: "b" }, expect: "y" },
  ];

  test("passes when every answer has the expected label", () => {
    expect(checkGoldenAnswers(cases, [{ label: "x" }, { label: "y" }])).toEqual({
      passed: 2,
      total: 2,
      failures: [],
    });
  });

  test("names each wrong, failed or missing answer", () => {
    const result = checkGoldenAnswers(cases, [{ label: "y" }]);
    expect(result.passed).toBe(0);
    expect(result.failures).toEqual(['request 1: expected "x", got "y"', "request 2: no answer"]);
    expect(checkGoldenAnswers(cases, [{ label: "x" }, { error: "HTTP 500: x" }]).failures).toEqual([
      "request 2: HTTP 500: x",
    ]);
  });

  test("fails a version that reports serving another model than recorded", () => {
    const sha = "1".repeat(64);
    const other = "2".repeat(64);
    const answers = [
      { label: "x", modelSha256: sha },
      { label: "y", modelSha256: other },
    ];
    expect(checkGoldenAnswers(cases, answers, sha).failures).toEqual([
      "request 2: serves model 222222222222, expected 111111111111",
    ]);
    expect(checkGoldenAnswers(cases, answers, "").failures).toEqual([]);
  });
});
