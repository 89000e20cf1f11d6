/**
 * Everything the training threads share, laid out in one shared WebAssembly.Memory so that the
 * WebAssembly kernel of each thread reads the same matrix and weights without copies: the matrix and
 * labels once, and the arrays of an objective once per slot (two folds can be fitted at once, one per
 * thread). The layout is plain data: a worker receives it with the memory and builds its own views.
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

/** Objectives that can run at once on the shared matrix (one per thread), each with its own arrays. */
export const OBJECTIVE_SLOTS = 2;

export interface SharedLayout {
  rows: number;
  cols: number;
  nonzeros: number;
  classes: number;
  /** Byte offset of each array in the memory (`slotted` names once per objective slot). */
  offsets: Record<string, number>;
}

type Shape = Omit<SharedLayout, "offsets">;
type ArrayType = Int32ArrayConstructor | Float64ArrayConstructor;

const shared = (shape: Shape): Record<string, [ArrayType, number]> => ({
  indptr: [Int32Array, shape.rows + 1],
  indices: [Int32Array, shape.nonzeros],
  values: [Float64Array, shape.nonzeros],
  y: [Int32Array, shape.rows],
  control: [Int32Array, CONTROL.length],
});

const slotted = (shape: Shape): Record<string, [ArrayType, number]> => {
  const dimension = parameterCount(shape.cols, shape.classes);
  const block = BLOCK_ROWS * shape.classes;
  return {
    rows: [Int32Array, shape.rows],
    weights: [Float64Array, dimension],
    firstGradient: [Float64Array, dimension],
    secondGradient: [Float64Array, dimension],
    firstBlock: [Float64Array, block],
    secondBlock: [Float64Array, block],
    loss: [Float64Array, 1],
  };
};

/** The arrays of one objective (its slot's, and the shared matrix and labels). */
export interface SharedBuffers {
  memory: WebAssembly.Memory;
  layout: SharedLayout;
  slot: number;
  X: Csr;
  y: Int32Array;
  classes: number;
  /** The rows the objective is restricted to. */
  rows: Int32Array;
  weights: Float64Array;
  /** Gradients of the first half of the rows (this thread) and of the second (inline or the worker). */
  firstGradient: Float64Array;
  secondGradient: Float64Array;
  /** Kernel scratch of each half. */
  firstBlock: Float64Array;
  secondBlock: Float64Array;
  control: Int32Array;
  /** [0]: loss of the second half. */
  loss: Float64Array;
}

function arrays(shape: Shape): Record<string, [ArrayType, number]> {
  const all = shared(shape);
  for (let slot = 0; slot < OBJECTIVE_SLOTS; slot++) {
    for (const [name, array] of Object.entries(slotted(shape))) all[`${name}:${slot}`] = array;
  }
  return all;
}

/** Copies `X` and `y` into a new shared memory and returns the buffers of objective slot 0. */
export function createSharedBuffers(X: Csr, y: Int32Array, classes: number): SharedBuffers {
  const shape = { rows: X.rows, cols: X.cols, nonzeros: nonzeros(X), classes };
  const offsets: Record<string, number> = {};
  let end = 0;
  for (const [name, [type, length]] of Object.entries(arrays(shape))) {
    offsets[name] = end;
    end += Math.ceil((type.BYTES_PER_ELEMENT * length) / 16) * 16;
  }
  const pages = Math.max(1, Math.ceil(end / PAGE_BYTES));
  if (pages > MAX_PAGES) {
    throw new RangeError(
      `training data needs ${(end / 2 ** 30).toFixed(1)} GiB, over the 4 GiB WebAssembly limit`,
    );
  }
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const buffers = viewSharedBuffers(memory, { ...shape, offsets }, 0);
  buffers.X.indptr.set(X.indptr.subarray(0, X.rows + 1));
  buffers.X.indices.set(X.indices.subarray(0, shape.nonzeros));
  buffers.X.values.set(X.values.subarray(0, shape.nonzeros));
  buffers.y.set(y);
  return buffers;
}

export function viewSharedBuffers(
  memory: WebAssembly.Memory,
  layout: SharedLayout,
  slot: number,
): SharedBuffers {
  if (!(Number.isInteger(slot) && slot >= 0 && slot < OBJECTIVE_SLOTS))
    throw new RangeError(`no slot ${slot}`);
  const sizes = arrays(layout);
  const { buffer } = memory;
  const int32 = (name: string) => new Int32Array(buffer, layout.offsets[name], sizes[name]![1]);
  const float64 = (name: string) => new Float64Array(buffer, layout.offsets[name], sizes[name]![1]);
  const own = (name: string) => `${name}:${slot}`;
  return {
    memory,
    layout,
    slot,
    X: {
      rows: layout.rows,
      cols: layout.cols,
      indptr: int32("indptr"),
      indices: int32("indices"),
      values: float64("values"),
    },
    y: int32("y"),
    classes: layout.classes,
    rows: int32(own("rows")),
    weights: float64(own("weights")),
    firstGradient: float64(own("firstGradient")),
    secondGradient: float64(own("secondGradient")),
    firstBlock: float64(own("firstBlock")),
    secondBlock: float64(own("secondBlock")),
    control: int32("control"),
    loss: float64(own("loss")),
  };
}
