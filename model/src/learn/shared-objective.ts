/**
 * The training objective of one fit, f(w) = Σ softmax loss + ‖W‖² / (2C) (scikit-learn's scaling of
 * C·Σ loss + ½‖W‖²), evaluated over a subset of rows of a CSR in the
 * threads' shared memory (shared-buffers.ts).
 *
 * The rows are always split in two halves of about equal nonzeros whose gradients are summed in the
 * same order, so the result is bit-identical whether a worker thread computes the second half in
 * parallel (training-worker.ts) or this thread computes both.
 */
import { nonzeros } from "./csr.js";
import type { SharedBuffers } from "./shared-buffers.js";
import { parameterCount } from "./softmax-loss.js";
import { WasmSoftmaxKernel } from "./wasm-kernel.js";

export const COMMAND = { evaluate: 1, exit: 2 } as const;

/** Computes the second half of the rows for `SoftmaxObjective` (in a worker thread or inline). */
export interface SecondHalfRunner {
  /** Starts computing rows [from, to) of `buffers.rows` into `buffers.secondGradient` / `buffers.loss`. */
  start(from: number, to: number): void;
  /** Blocks until the computation started last is finished. */
  wait(): void;
}

/** The second half's work, whichever thread runs it. */
export function evaluateSecondHalf(
  buffers: SharedBuffers,
  kernel: WasmSoftmaxKernel,
  from: number,
  to: number,
): void {
  const { X, y, rows, weights, secondGradient, loss } = buffers;
  secondGradient.fill(0);
  loss[0] = kernel.accumulate(X, y, rows, from, to, weights, secondGradient);
}

export function secondHalfKernel(buffers: SharedBuffers): WasmSoftmaxKernel {
  return new WasmSoftmaxKernel(buffers.memory, buffers.classes, buffers.secondBlock);
}

/** Runs the second half on this thread, after the first. */
export class InlineRunner implements SecondHalfRunner {
  private readonly kernel: WasmSoftmaxKernel;
  private pending: [number, number] | undefined;

  constructor(private readonly buffers: SharedBuffers) {
    this.kernel = secondHalfKernel(buffers);
  }

  start(from: number, to: number): void {
    this.pending = [from, to];
  }

  wait(): void {
    if (!this.pending) return;
    evaluateSecondHalf(this.buffers, this.kernel, ...this.pending);
    this.pending = undefined;
  }
}

export class SoftmaxObjective {
  readonly dimension: number;
  readonly classes: number;
  private readonly coefCount: number;
  private readonly kernel: WasmSoftmaxKernel;
  private rowCount = 0;
  private split = 0;
  private C = 1;

  constructor(
    private readonly buffers: SharedBuffers,
    private readonly secondHalf: SecondHalfRunner,
  ) {
    this.classes = buffers.classes;
    this.dimension = parameterCount(buffers.X.cols, buffers.classes);
    this.coefCount = buffers.X.cols * buffers.classes;
    this.kernel = new WasmSoftmaxKernel(buffers.memory, buffers.classes, buffers.firstBlock);
  }

  /** Restricts the objective to `rows` (training rows of a fold, or all rows). */
  setRows(rows: Int32Array): void {
    const { X } = this.buffers;
    this.buffers.rows.set(rows);
    this.rowCount = rows.length;
    let total = 0;
    for (const row of rows) total += X.indptr[row + 1]! - X.indptr[row]!;
    let running = 0;
    this.split = rows.length;
    for (let r = 0; r < rows.length; r++) {
      if (running * 2 >= total) {
        this.split = r;
        break;
      }
      running += X.indptr[rows[r]! + 1]! - X.indptr[rows[r]!]!;
    }
    if (nonzeros(X) === 0) this.split = rows.length >> 1;
  }

  setC(C: number): void {
    this.C = C;
  }

  readonly evaluate = (w: Float64Array, gradient: Float64Array): number => {
    const { X, y, rows, weights, firstGradient: first, secondGradient: second } = this.buffers;
    weights.set(w);
    this.secondHalf.start(this.split, this.rowCount);
    first.fill(0);
    let loss = this.kernel.accumulate(X, y, rows, 0, this.split, weights, first);
    this.secondHalf.wait();
    loss += this.buffers.loss[0]!;
    // gradient = first half + second half + W / C (coefficients only), with the penalty ‖W‖² / (2C).
    const strength = 1 / this.C;
    let squared = 0;
    for (let i = 0; i < this.coefCount; i++) {
      const wi = w[i]!;
      squared += wi * wi;
      gradient[i] = first[i]! + second[i]! + strength * wi;
    }
    for (let i = this.coefCount; i < gradient.length; i++) gradient[i] = first[i]! + second[i]!;
    return loss + 0.5 * strength * squared;
  };
}
