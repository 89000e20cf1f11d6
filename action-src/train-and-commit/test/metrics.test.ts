import { describe, expect, test } from "vitest";
import { parseMetrics } from "../src/metrics.js";

describe("parseMetrics", () => {
  test("reads the trainer's metrics.json fields", () => {
    const text = JSON.stringify({
      accuracy: 0.8712,
      macro_f1: 0.8655,
      baseline: { accuracy: 0.0531 },
      train_docs: 11314,
      test_docs: 7532,
      features: 100000,
      config: "default",
      model_sha256: "ab",
      model_bytes: 1234,
      per_class: [
        { label: "sci.space", precision: 0.9, recall: 0.9, f1: 0.9, support: 394 },
        { label: "broken", f1: "n/a" },
      ],
    });
    expect(parseMetrics(text, "m.json")).toEqual({
      accuracy: 0.8712,
      macroF1: 0.8655,
      baselineAccuracy: 0.0531,
      trainDocs: 11314,
      testDocs: 7532,
      features: 100000,
      configName: "default",
      modelSha256: "ab",
      modelBytes: 1234,
      perClassF1: { "sci.space": 0.9 },
    });
  });

  test.each([
    ["{", "m.json is not valid JSON"],
    ["[1]", "m.json must be a JSON object"],
    ['{"macro_f1": 0.5}', 'm.json: "accuracy" must be a number between 0 and 1, got undefined'],
    ['{"accuracy": 87, "macro_f1": 0.5}', 'm.json: "accuracy" must be a number between 0 and 1, got 87'],
    [
      '{"accuracy": 0.8, "macro_f1": "high"}',
      'm.json: "macro_f1" must be a number between 0 and 1, got "high"',
    ],
  ])("%s → %s", (text, message) => {
    expect(() => parseMetrics(text, "m.json")).toThrow(message);
  });
});
