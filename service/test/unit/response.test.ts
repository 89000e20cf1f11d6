import { expect, test } from "vitest";
import { topScores } from "../../src/response.js";

const labels = ["a", "b", "c", "d"];

test.each([
  [
    [0.1, 0.6, 0.2, 0.1],
    2,
    [
      { label: "b", score: 0.6 },
      { label: "c", score: 0.2 },
    ],
  ],
  [
    [0.25, 0.25, 0.25, 0.25],
    3,
    [
      { label: "a", score: 0.25 },
      { label: "b", score: 0.25 },
      { label: "c", score: 0.25 },
    ],
  ],
  [
    [0.1, 0.2, 0.3, 0.4],
    10,
    [
      { label: "d", score: 0.4 },
      { label: "c", score: 0.3 },
      { label: "b", score: 0.2 },
      { label: "a", score: 0.1 },
    ],
  ],
  [[0.1, 0.2, 0.3, 0.4], 1, [{ label: "d", score: 0.4 }]],
])("topScores(%j, k=%i)", (probabilities, k, expected) => {
  const scores = topScores(Float32Array.from(probabilities), labels, k);
  expect(scores.map((s) => s.label)).toEqual(expected.map((s) => s.label));
  scores.forEach((score, i) => expect(score.score).toBeCloseTo(expected[i]?.score ?? NaN, 6));
});

test("scores are rounded to 6 decimals", () => {
  const [first] = topScores(Float32Array.from([0.123456789, 0]), ["x", "y"], 1);
  expect(first?.score).toBe(0.123457);
});
