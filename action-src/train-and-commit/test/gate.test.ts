import { describe, expect, test } from "vitest";
import { evaluateGate } from "../src/gate.js";
import type { HeadlineMetrics } from "../src/metrics.js";

const metrics = (accuracy: number): HeadlineMetrics => ({ accuracy, macroF1: accuracy - 0.01 });
const rule = { minAccuracy: 0.8, maxAccuracyDrop: 0.01 };

describe("evaluateGate", () => {
  test.each([
    ["first model above the floor", 0.86, undefined, true],
    ["exactly at the floor", 0.8, undefined, true],
    ["improves on base", 0.87, 0.86, true],
    ["drops exactly the allowed amount", 0.85, 0.86, true],
    ["drops less than allowed", 0.855, 0.86, true],
  ])("%s → passes", (_case, current, base, passed) => {
    const result = evaluateGate(metrics(current), base === undefined ? undefined : metrics(base), rule);
    expect(result).toEqual({ passed, failures: [] });
  });

  test.each([
    ["below the floor", 0.79, undefined, ["accuracy 0.7900 is below the minimum 0.8000"]],
    [
      "drops too far",
      0.84,
      0.86,
      ["accuracy 0.8400 dropped 0.0200 below the base model's 0.8600 (max allowed drop 0.0100)"],
    ],
    [
      "both",
      0.7,
      0.9,
      [
        "accuracy 0.7000 is below the minimum 0.8000",
        "accuracy 0.7000 dropped 0.2000 below the base model's 0.9000 (max allowed drop 0.0100)",
      ],
    ],
  ])("%s → fails naming metric and numbers", (_case, current, base, failures) => {
    const result = evaluateGate(metrics(current), base === undefined ? undefined : metrics(base), rule);
    expect(result).toEqual({ passed: false, failures });
  });
});
