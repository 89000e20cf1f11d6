import { describe, expect, test } from "vitest";
import { GoldenFormatError, MAX_GOLDEN_CASES, parseGoldenCases, parseGoldenExamples } from "../src/index.js";

describe("parseGoldenExamples", () => {
  const golden = [
    { text: "bake in the oven", label: "cooking" },
    { text: "rocket to orbit", label: "space" },
  ];

  test("reads an array of {text, label}", () => {
    expect(parseGoldenExamples(JSON.stringify(golden), "g.json")).toEqual(golden);
  });

  test.each([
    ["nope", "g.json is not valid JSON"],
    ["[]", 'g.json must be a non-empty JSON array of {"text", "label"}'],
    ['{"text": "a"}', 'g.json must be a non-empty JSON array of {"text", "label"}'],
    ['[{"text": "", "label": "x"}]', 'g.json: item 0 must have a non-empty "text" string'],
    ['[{"text": "a", "label": "x"}, {"text": "b"}]', 'g.json: item 1 must have a "label" string'],
    ['[{"text": "a", "label": "x"}, "b"]', 'g.json: item 1 must be {"text", "label"}'],
  ])("%s → %s", (text, message) => {
    expect(() => parseGoldenExamples(text, "g.json")).toThrow(message);
  });

  test("a JSON error keeps what the parser said as its cause", () => {
    const error = (() => {
      try {
        parseGoldenExamples("{oops", "g.json");
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(GoldenFormatError);
    expect((error as Error).cause).toBeInstanceOf(SyntaxError);
  });
});

describe("parseGoldenCases", () => {
  test("reads the model's {text, label} examples as {text} requests", () => {
    expect(parseGoldenCases([{ text: "GPU drivers", label: "comp.graphics" }], "g.json")).toEqual([
      { request: { text: "GPU drivers" }, expect: "comp.graphics" },
    ]);
  });

  test("reads {request, expect} items as given", () => {
    const request = { body: '{"text":"x"}', httpMethod: "POST", path: "/predict" };
    expect(parseGoldenCases([{ request, expect: "sci.space" }], "g.json")).toEqual([
      { request, expect: "sci.space" },
    ]);
  });

  test.each([
    ["not a list", { text: "a", label: "b" }, "non-empty JSON array"],
    ["an empty list", [], "non-empty JSON array"],
    ["a label that is not a string", [{ text: "a", label: 3 }], 'item 0 must have a "label" string'],
    ["an item without expect", [{ text: "a", label: "b" }, { request: {} }], 'item 1 must have an "expect"'],
    ["an item that is a list", [[]], 'item 0 must be {"text", "label"} or {"request", "expect"}'],
  ])("rejects %s", (_name, json, message) => {
    expect(() => parseGoldenCases(json, "g.json")).toThrow(message);
  });

  test("more requests than a deploy should send are refused", () => {
    const many = Array.from({ length: MAX_GOLDEN_CASES + 1 }, () => ({ text: "a", label: "b" }));
    expect(() => parseGoldenCases(many, "g.json")).toThrow(`at most ${MAX_GOLDEN_CASES} are allowed`);
    expect(parseGoldenCases(many.slice(1), "g.json")).toHaveLength(MAX_GOLDEN_CASES);
  });
});
