import { describe, expect, it } from "vitest";
import {
  confusionMatrix,
  evaluate,
  EvaluationError,
  majorityBaseline,
  majorityLabel,
} from "../../src/evaluate/metrics.js";

const LABELS = ["a", "b", "c"];
// true:      a a a b b c
// predicted: a a b b c c
const TRUE = ["a", "a", "a", "b", "b", "c"];
const PREDICTED = ["a", "a", "b", "b", "c", "c"];

describe("evaluate", () => {
  it("builds the confusion matrix with true labels as rows", () => {
    expect(confusionMatrix(TRUE, PREDICTED, LABELS)).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
  });

  it("computes accuracy and per-class precision/recall/F1/support by hand", () => {
    const result = evaluate(TRUE, PREDICTED, LABELS);
    expect(result.accuracy).toBeCloseTo(4 / 6, 12);
    // a: P 2/2, R 2/3, F1 0.8; b: P 1/2, R 1/2, F1 0.5; c: P 1/2, R 1, F1 2/3
    const expected = [
      { label: "a", precision: 1, recall: 2 / 3, f1: 0.8, support: 3 },
      { label: "b", precision: 0.5, recall: 0.5, f1: 0.5, support: 2 },
      { label: "c", precision: 0.5, recall: 1, f1: 2 / 3, support: 1 },
    ];
    result.perClass.forEach((m, i) => {
      const e = expected[i]!;
      expect(m.label).toBe(e.label);
      expect(m.support).toBe(e.support);
      expect(m.precision).toBeCloseTo(e.precision, 12);
      expect(m.recall).toBeCloseTo(e.recall, 12);
      expect(m.f1).toBeCloseTo(e.f1, 12);
    });
    expect(result.macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 12);
  });

  it("scores a never-predicted class as precision 0 and F1 0 (scikit-learn's zero_division=0)", () => {
    const result = evaluate(["a", "b"], ["a", "a"], ["a", "b"]);
    expect(result.perClass[1]).toEqual({ label: "b", precision: 0, recall: 0, f1: 0, support: 1 });
    expect(result.perClass[0]!.precision).toBe(0.5);
    expect(result.macroF1).toBeCloseTo((2 / 3 + 0) / 2, 12);
  });

  it("rejects mismatched lengths and unknown labels", () => {
    expect(() => evaluate(["a"], [], LABELS)).toThrow(EvaluationError);
    expect(() => evaluate(["a"], ["z"], LABELS)).toThrow(/"z"/);
  });
});

describe("majority baseline", () => {
  it("picks the most frequent training label, ties to the first label", () => {
    expect(majorityLabel(["b", "c", "c", "b", "a"], LABELS)).toBe("b");
    expect(majorityLabel(["c", "c", "a"], LABELS)).toBe("c");
  });

  it("scores always answering that label on the test set", () => {
    const baseline = majorityBaseline(["c", "c", "a"], ["a", "c", "c", "b"], LABELS);
    expect(baseline.label).toBe("c");
    expect(baseline.accuracy).toBe(0.5);
    // c: P 2/4, R 1, F1 2/3; a and b: 0
    expect(baseline.macroF1).toBeCloseTo(2 / 3 / 3, 12);
  });
});
