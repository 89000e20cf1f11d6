import type { Csr } from "./csr.js";

/**
 * The parameters of a multinomial logistic regression as one flat vector: the coefficients
 * feature-major [features × classes] (so a feature's class weights are contiguous), then the
 * intercept [classes].
 */
export function parameterCount(features: number, classes: number): number {
  return (features + 1) * classes;
}

/**
 * Adds the softmax cross-entropy of rows `rows[from..to)` of `X` and its gradient with respect to the
 * flat parameters to `gradient` (which the caller zeroes), in one pass over the rows' nonzeros:
 * scores = x·W + b, p = softmax(scores), gradient += xᵀ(p − onehot(y)). Returns the summed loss.
 * `scratch` holds at least `classes` numbers.
 */
export function accumulateSoftmaxLoss(
  X: Csr,
  y: Int32Array,
  classes: number,
  rows: Int32Array,
  from: number,
  to: number,
  weights: Float64Array,
  gradient: Float64Array,
  scratch: Float64Array,
): number {
  const { indptr, indices, values } = X;
  const interceptOffset = X.cols * classes;
  let loss = 0;
  for (let r = from; r < to; r++) {
    const row = rows[r]!;
    const start = indptr[row]!;
    const end = indptr[row + 1]!;
    for (let c = 0; c < classes; c++) scratch[c] = weights[interceptOffset + c]!;
    addRowScores(X, row, classes, weights, scratch);
    const label = y[row]!;
    const labelScore = scratch[label]!;
    let max = scratch[0]!;
    for (let c = 1; c < classes; c++) if (scratch[c]! > max) max = scratch[c]!;
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      const e = Math.exp(scratch[c]! - max);
      scratch[c] = e;
      sum += e;
    }
    loss += Math.log(sum) + max - labelScore;
    const inverseSum = 1 / sum;
    for (let c = 0; c < classes; c++) scratch[c] = scratch[c]! * inverseSum;
    scratch[label] = scratch[label]! - 1;
    for (let c = 0; c < classes; c++)
      gradient[interceptOffset + c] = gradient[interceptOffset + c]! + scratch[c]!;
    for (let k = start; k < end; k++) {
      const base = indices[k]! * classes;
      const value = values[k]!;
      for (let c = 0; c < classes; c++) gradient[base + c] = gradient[base + c]! + value * scratch[c]!;
    }
  }
  return loss;
}

/**
 * scores[c] += Σ_k X[row, k] · coef[k · classes + c], over the row's nonzeros in order (`scores` starts
 * as the intercepts). `coef` may be the packed parameters: their coefficients come first.
 */
export function addRowScores(
  X: Csr,
  row: number,
  classes: number,
  coef: Float64Array,
  scores: Float64Array,
): void {
  const { indptr, indices, values } = X;
  for (let k = indptr[row]!; k < indptr[row + 1]!; k++) {
    const base = indices[k]! * classes;
    const value = values[k]!;
    for (let c = 0; c < classes; c++) scores[c] = scores[c]! + value * coef[base + c]!;
  }
}

/** Index of the highest score of each row (first on ties), for `rows` of `X`. */
export function predictRows(
  X: Csr,
  classes: number,
  rows: Int32Array,
  weights: Float64Array,
  scratch: Float64Array,
): Int32Array {
  const interceptOffset = X.cols * classes;
  const predicted = new Int32Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    for (let c = 0; c < classes; c++) scratch[c] = weights[interceptOffset + c]!;
    addRowScores(X, row, classes, weights, scratch);
    let best = 0;
    for (let c = 1; c < classes; c++) if (scratch[c]! > scratch[best]!) best = c;
    predicted[r] = best;
  }
  return predicted;
}
