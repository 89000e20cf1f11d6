/**
 * The training objective of one fit, f(w) = Σ softmax loss + ‖W‖² / (2C) (scikit-learn's scaling of
 * C·Σ loss + ½‖W‖²), evaluated over a subset of rows of a CSR held in SharedArrayBuffers.
 *
 * The rows are always split in two halves of about equal nonzeros whose gradients are summed in the
 * same order, so the result is bit-identical whether a worker thread computes the second half in
 * parallel (`EvaluationWorker`) or this thread computes both.
 */
import type { Csr } from "./csr.js";
import { nonzeros } from "./csr.js";
import { softmaxKernel } from "./softmax-kernel.js";
import { parameterCount } from "./softmax-loss.js";

/** Slots of the control Int32Array shared with the worker. */
export const CONTROL = { generation: 0, done: 1, command: 2, from: 3, to: 4, length: 5 } as const;
export const COMMAND = { evaluate: 1, exit: 2 } as const;

/** The buffers this thread and the worker share. */
export interface SharedBuffers {
  X: Csr;
  y: Int32Array;
  classes: number;
  weights: Float64Array;
  /** Gradient of the second half of the rows. */
  gradient: Float64Array;
  rows: Int32Array;
  control: Int32Array;
  /** [0]: loss of the second half. */
  loss: Float64Array;
}

export function createSharedBuffers(X: Csr, y: Int32Array, classes: number): SharedBuffers {
  const dimension = parameterCount(X.cols, classes);
  const sharedY = new Int32Array(new SharedArrayBuffer(4 * y.length));
  sharedY.set(y);
  return {
    X,
    y: sharedY,
    classes,
    weights: new Float64Array(new SharedArrayBuffer(8 * dimension)),
    gradient: new Float64Array(new SharedArrayBuffer(8 * dimension)),
    rows: new Int32Array(new SharedArrayBuffer(4 * X.rows)),
    control: new Int32Array(new SharedArrayBuffer(4 * CONTROL.length)),
    loss: new Float64Array(new SharedArrayBuffer(8)),
  };
}

/** Computes the second half of the rows for `SoftmaxObjective` (in a worker thread or inline). */
export interface SecondHalfRunner {
  /** Starts computing rows [from, to) of `buffers.rows` into `buffers.gradient` / `buffers.loss`. */
  start(from: number, to: number): void;
  /** Blocks until the computation started last is finished. */
  wait(): void;
}

/** Runs the second half on this thread, after the first. */
export class InlineRunner implements SecondHalfRunner {
  private readonly scratch: Float64Array;
  private pending: [number, number] | undefined;

  constructor(private readonly buffers: SharedBuffers) {
    this.scratch = new Float64Array(buffers.classes);
  }

  start(from: number, to: number): void {
    this.pending = [from, to];
  }

  wait(): void {
    if (!this.pending) return;
    const { X, y, classes, rows, weights, gradient, loss } = this.buffers;
    gradient.fill(0);
    const [from, to] = this.pending;
    loss[0] = softmaxKernel(classes)(X, y, classes, rows, from, to, weights, gradient, this.scratch);
    this.pending = undefined;
  }
}

export class SoftmaxObjective {
  readonly dimension: number;
  private readonly coefCount: number;
  private readonly scratch: Float64Array;
  private rowCount = 0;
  private split = 0;
  private C = 1;

  constructor(
    private readonly buffers: SharedBuffers,
    private readonly secondHalf: SecondHalfRunner,
  ) {
    this.dimension = parameterCount(buffers.X.cols, buffers.classes);
    this.coefCount = buffers.X.cols * buffers.classes;
    this.scratch = new Float64Array(buffers.classes);
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
    const { X, y, classes, rows, weights } = this.buffers;
    weights.set(w);
    this.secondHalf.start(this.split, this.rowCount);
    gradient.fill(0);
    let loss = softmaxKernel(classes)(X, y, classes, rows, 0, this.split, weights, gradient, this.scratch);
    this.secondHalf.wait();
    loss += this.buffers.loss[0]!;
    // gradient = first half + second half + W / C (coefficients only), with the penalty ‖W‖² / (2C).
    const other = this.buffers.gradient;
    const strength = 1 / this.C;
    let squared = 0;
    for (let i = 0; i < this.coefCount; i++) {
      const wi = w[i]!;
      squared += wi * wi;
      gradient[i] = gradient[i]! + other[i]! + strength * wi;
    }
    for (let i = this.coefCount; i < gradient.length; i++) gradient[i] = gradient[i]! + other[i]!;
    return loss + 0.5 * strength * squared;
  };
}
