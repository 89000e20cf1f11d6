import { describe, expect, it } from "vitest";
import { compareAnswers, parityHolds } from "../../src/cli/parity.js";

const reference = { labels: ["a", "b"], probabilities: Float64Array.from([0.9, 0.1, 0.2, 0.8]) };

describe("compareAnswers", () => {
  it("counts label agreement and the largest probability difference", () => {
    const candidate = { labels: ["a", "a"], probabilities: Float32Array.from([0.9, 0.1, 0.55, 0.45]) };
    const result = compareAnswers(reference, candidate);
    expect(result.docs).toBe(2);
    expect(result.label_agreement).toBe(1);
    expect(result.max_abs_prob_diff).toBeCloseTo(0.35, 6);
    expect(parityHolds(result)).toBe(false);
  });

  it("holds when labels agree and probabilities are within 1e-4", () => {
    const candidate = { labels: ["a", "b"], probabilities: Float32Array.from([0.90005, 0.09995, 0.2, 0.8]) };
    expect(parityHolds(compareAnswers(reference, candidate))).toBe(true);
  });

  it("fails on NaN probabilities and on a different number of answers", () => {
    const nan = { labels: ["a", "b"], probabilities: Float32Array.from([NaN, 0.1, 0.2, 0.8]) };
    expect(parityHolds(compareAnswers(reference, nan))).toBe(false);
    expect(() => compareAnswers(reference, { labels: ["a"], probabilities: [1, 0] })).toThrow(/1 from ONNX/);
  });
});
