/**
 * Everything the objective's threads share, laid out in one shared WebAssembly.Memory so that the
 * WebAssembly kernel of each thread reads the same matrix and weights without copies. The layout is
 * plain data: a worker receives it with the memory and builds its own views (`viewSharedBuffers`).
 */
import type { Csr } from "./csr.js";
import { nonzeros } from "./csr.js";
import { parameterCount } from "./softmax-loss.js";

/** Rows per kernel block: their scores fit in cache between the forward and backward pass. */
const BLOCK_ROWS = 256;
const PAGE_BYTES = 65536;
const MAX_PAGES = 65536;

/** Slots of the control Int32Array shared with the worker. */
export const CONTROL = { generation: 0, done: 1, command: 2, from: 3, to: 4, length: 5 } as const;

export interface SharedLayout {
  rows: number;
  cols: number;
  nonzeros: number;
  classes: number;
  /** Byte offset of each array in the memory. */
  offsets: Record<ArrayName, number>;
}

type ArrayName =
  | "indptr"
  | "indices"
  | "values"
  | "y"
  | "rows"
  | "weights"
  | "firstGradient"
  | "secondGradient"
  | "firstBlock"
  | "secondBlock"
  | "control"
  | "loss";

export interface SharedBuffers {
  memory: WebAssembly.Memory;
  layout: SharedLayout;
  X: Csr;
  y: Int32Array;
  classes: number;
  /** The rows the objective is restricted to. */
  rows: Int32Array;
  weights: Float64Array;
  /** Gradients of the first half of the rows (this thread) and of the second (the worker). */
  firstGradient: Float64Array;
  secondGradient: Float64Array;
  /** Kernel scratch of each half. */
  firstBlock: Float64Array;
  secondBlock: Float64Array;
  control: Int32Array;
  /** [0]: loss of the second half. */
  loss: Float64Array;
}

function lengths(
  layout: Omit<SharedLayout, "offsets">,
): Record<ArrayName, [Int32ArrayConstructor | Float64ArrayConstructor, number]> {
  const dimension = parameterCount(layout.cols, layout.classes);
  const block = BLOCK_ROWS * layout.classes;
  return {
    indptr: [Int32Array, layout.rows + 1],
    indices: [Int32Array, layout.nonzeros],
    values: [Float64Array, layout.nonzeros],
    y: [Int32Array, layout.rows],
    rows: [Int32Array, layout.rows],
    weights: [Float64Array, dimension],
    firstGradient: [Float64Array, dimension],
    secondGradient: [Float64Array, dimension],
    firstBlock: [Float64Array, block],
    secondBlock: [Float64Array, block],
    control: [Int32Array, CONTROL.length],
    loss: [Float64Array, 1],
  };
}

export function createSharedBuffers(X: Csr, y: Int32Array, classes: number): SharedBuffers {
  const shape = { rows: X.rows, cols: X.cols, nonzeros: nonzeros(X), classes };
  const offsets = {} as Record<ArrayName, number>;
  let end = 0;
  for (const [name, [type, length]] of Object.entries(lengths(shape))) {
    offsets[name as ArrayName] = end;
    end += Math.ceil((type.BYTES_PER_ELEMENT * length) / 16) * 16;
  }
  const pages = Math.max(1, Math.ceil(end / PAGE_BYTES));
  if (pages > MAX_PAGES) {
    throw new RangeError(
      `training data needs ${(end / 2 ** 30).toFixed(1)} GiB, over the 4 GiB WebAssembly limit`,
    );
  }
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const buffers = viewSharedBuffers(memory, { ...shape, offsets });
  buffers.X.indptr.set(X.indptr.subarray(0, X.rows + 1));
  buffers.X.indices.set(X.indices.subarray(0, shape.nonzeros));
  buffers.X.values.set(X.values.subarray(0, shape.nonzeros));
  buffers.y.set(y);
  return buffers;
}

export function viewSharedBuffers(memory: WebAssembly.Memory, layout: SharedLayout): SharedBuffers {
  const sizes = lengths(layout);
  const { buffer } = memory;
  const int32 = (name: ArrayName) => new Int32Array(buffer, layout.offsets[name], sizes[name][1]);
  const float64 = (name: ArrayName) => new Float64Array(buffer, layout.offsets[name], sizes[name][1]);
  return {
    memory,
    layout,
    X: {
      rows: layout.rows,
      cols: layout.cols,
      indptr: int32("indptr"),
      indices: int32("indices"),
      values: float64("values"),
    },
    y: int32("y"),
    classes: layout.classes,
    rows: int32("rows"),
    weights: float64("weights"),
    firstGradient: float64("firstGradient"),
    secondGradient: float64("secondGradient"),
    firstBlock: float64("firstBlock"),
    secondBlock: float64("secondBlock"),
    control: int32("control"),
    loss: float64("loss"),
  };
}
