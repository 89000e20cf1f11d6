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

test("topScores answers as a stable sort of all labels, on many rows with ties", () => {
  const many = Array.from({ length: 12 }, (_, i) => `l${i}`);
  let seed = 7;
  const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  for (let row = 0; row < 500; row += 1) {
    // Few distinct values, so ties are common.
    const probabilities = Float32Array.from(many, () => Math.round(next() * 5) / 5);
    const sorted = Array.from(probabilities.keys()).sort(
      (a, b) => (probabilities[b] as number) - (probabilities[a] as number) || a - b,
    );
    for (const k of [1, 3, 12, 20]) {
      expect(topScores(probabilities, many, k).map((s) => s.label)).toEqual(
        sorted.slice(0, k).map((index) => many[index]),
      );
    }
  }
});
