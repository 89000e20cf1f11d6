import { describe, expect, it } from "vitest";
import { parameterCount, predictRows } from "../../src/learn/softmax-loss.js";
import { createSharedBuffers } from "../../src/learn/shared-buffers.js";
import { InlineRunner, SoftmaxObjective } from "../../src/learn/shared-objective.js";
import { randomCsr, seededRandom } from "./helpers.js";

const classes = 4;
const random = seededRandom(11);
const X = randomCsr(30, 7, 0.4, random);
const y = Int32Array.from({ length: X.rows }, (_, i) => i % classes);
const allRows = Int32Array.from({ length: X.rows }, (_, i) => i);

function objective(C: number): SoftmaxObjective {
  const buffers = createSharedBuffers(X, y, classes);
  const result = new SoftmaxObjective(buffers, new InlineRunner(buffers));
  result.setRows(allRows);
  result.setC(C);
  return result;
}

describe("softmax loss", () => {
  it("equals Σ −log softmax(x·W + b)[y] + ‖W‖²/(2C), computed densely", () => {
    const f = objective(0.5);
    const w = Float64Array.from({ length: f.dimension }, () => random() - 0.5);
    let expected = 0;
    for (let row = 0; row < X.rows; row++) {
      const scores = Array.from({ length: classes }, (_, c) => w[X.cols * classes + c]!);
      for (let k = X.indptr[row]!; k < X.indptr[row + 1]!; k++) {
        for (let c = 0; c < classes; c++) scores[c]! += X.values[k]! * w[X.indices[k]! * classes + c]!;
      }
      const logSum = Math.log(scores.reduce((sum, s) => sum + Math.exp(s), 0));
      expected += logSum - scores[y[row]!]!;
    }
    for (let i = 0; i < X.cols * classes; i++) expected += w[i]! ** 2 / (2 * 0.5);
    expect(f.evaluate(w, new Float64Array(f.dimension))).toBeCloseTo(expected, 10);
  });

  it("has the gradient that finite differences give", () => {
    const f = objective(2);
    const w = Float64Array.from({ length: f.dimension }, () => random() - 0.5);
    const gradient = new Float64Array(f.dimension);
    f.evaluate(w, gradient);
    const scratch = new Float64Array(f.dimension);
    const h = 1e-6;
    for (let i = 0; i < f.dimension; i++) {
      const plus = Float64Array.from(w);
      const minus = Float64Array.from(w);
      plus[i]! += h;
      minus[i]! -= h;
      const numeric = (f.evaluate(plus, scratch) - f.evaluate(minus, scratch)) / (2 * h);
      expect(gradient[i]).toBeCloseTo(numeric, 5);
    }
  });

  it("predictRows takes the highest score, the first on ties", () => {
    const w = new Float64Array(parameterCount(X.cols, classes));
    w[X.cols * classes + 2] = 1;
    w[X.cols * classes + 3] = 1;
    expect(Array.from(predictRows(X, classes, allRows.subarray(0, 3), w, new Float64Array(classes)))).toEqual(
      [2, 2, 2],
    );
  });
});
