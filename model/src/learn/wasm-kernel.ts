/**
 * `accumulateSoftmaxLoss` run by the WebAssembly module of `softmax-wasm.ts` over arrays that live in
 * one shared WebAssembly.Memory, a block of rows at a time (the block's nonzeros are still in cache
 * when `backward` reads them again after `forward`).
 */
import type { Csr } from "./csr.js";
import { parameterCount } from "./softmax-loss.js";
import { softmaxWasmModule } from "./softmax-wasm.js";

type Pass = (
  indptr: number,
  indices: number,
  values: number,
  rows: number,
  from: number,
  to: number,
  matrix: number,
  intercept: number,
  block: number,
) => void;

export class WasmSoftmaxKernel {
  private readonly forward: Pass;
  private readonly backward: Pass;
  private readonly blockRows: number;

  /** `block`: this kernel's scratch in `memory`, a multiple of `classes` numbers (not shared between threads). */
  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly classes: number,
    private readonly block: Float64Array,
  ) {
    const instance = new WebAssembly.Instance(softmaxWasmModule(classes), { env: { memory } });
    this.forward = instance.exports.forward as Pass;
    this.backward = instance.exports.backward as Pass;
    this.blockRows = Math.floor(block.length / classes);
    if (this.blockRows < 1) throw new RangeError(`the block holds fewer than ${classes} numbers`);
    this.requireInMemory(block);
  }

  /** Same contract as `accumulateSoftmaxLoss`; every array must be a view of the kernel's memory. */
  accumulate(
    X: Csr,
    y: Int32Array,
    rows: Int32Array,
    from: number,
    to: number,
    weights: Float64Array,
    gradient: Float64Array,
  ): number {
    const { classes, block } = this;
    for (const array of [X.indptr, X.indices, X.values, rows, weights, gradient]) this.requireInMemory(array);
    if (!(X.values instanceof Float64Array)) throw new TypeError("the matrix values must be float64");
    // The kernel reads and writes the memory unchecked: a short array would spill into its neighbours.
    const dimension = parameterCount(X.cols, classes);
    if (weights.length < dimension || gradient.length < dimension) {
      throw new RangeError(`weights and gradient need ${dimension} numbers`);
    }
    if (!(0 <= from && from <= to && to <= rows.length))
      throw new RangeError(`bad row range [${from}, ${to})`);
    const interceptBytes = 8 * X.cols * classes;
    const pointers = [
      X.indptr.byteOffset,
      X.indices.byteOffset,
      X.values.byteOffset,
      rows.byteOffset,
    ] as const;
    let loss = 0;
    for (let start = from; start < to; start += this.blockRows) {
      const stop = Math.min(to, start + this.blockRows);
      this.forward(
        ...pointers,
        start,
        stop,
        weights.byteOffset,
        weights.byteOffset + interceptBytes,
        block.byteOffset,
      );
      loss = softmaxResiduals(block, classes, y, rows, start, stop, loss);
      this.backward(
        ...pointers,
        start,
        stop,
        gradient.byteOffset,
        gradient.byteOffset + interceptBytes,
        block.byteOffset,
      );
    }
    return loss;
  }

  private requireInMemory(array: ArrayBufferView): void {
    if (array.buffer !== this.memory.buffer) throw new Error("array is not in the kernel's memory");
  }
}

/**
 * Turns the scores of rows [from, to) in `block` into residuals softmax − onehot(label) and returns
 * `loss` plus their cross-entropies, added row by row as `accumulateSoftmaxLoss` adds them.
 */
function softmaxResiduals(
  block: Float64Array,
  classes: number,
  y: Int32Array,
  rows: Int32Array,
  from: number,
  to: number,
  loss: number,
): number {
  for (let r = from, offset = 0; r < to; r++, offset += classes) {
    const label = y[rows[r]!]!;
    const labelScore = block[offset + label]!;
    let max = block[offset]!;
    for (let c = 1; c < classes; c++) if (block[offset + c]! > max) max = block[offset + c]!;
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      const e = Math.exp(block[offset + c]! - max);
      block[offset + c] = e;
      sum += e;
    }
    loss += Math.log(sum) + max - labelScore;
    const inverseSum = 1 / sum;
    for (let c = 0; c < classes; c++) block[offset + c] = block[offset + c]! * inverseSum;
    block[offset + label] = block[offset + label]! - 1;
  }
  return loss;
}
