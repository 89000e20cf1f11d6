import { describe, expect, it } from "vitest";
import { createSharedBuffers, OBJECTIVE_SLOTS, viewSharedBuffers } from "../../src/learn/shared-buffers.js";
import { randomCsr, seededRandom } from "./helpers.js";

const X = randomCsr(50, 9, 0.3, seededRandom(3));
const y = Int32Array.from({ length: X.rows }, (_, i) => i % 3);

function ranges(views: ArrayBufferView[]): [number, number][] {
  return views.map((view) => [view.byteOffset, view.byteOffset + view.byteLength]);
}

describe("shared buffers", () => {
  it("copies the matrix and labels into the shared memory", () => {
    const buffers = createSharedBuffers(X, y, 3);
    expect(buffers.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(buffers.X.indptr)).toEqual(Array.from(X.indptr));
    expect(Array.from(buffers.X.indices)).toEqual(Array.from(X.indices));
    expect(Array.from(buffers.X.values)).toEqual(Array.from(X.values));
    expect(Array.from(buffers.y)).toEqual(Array.from(y));
  });

  it("gives each objective slot its own arrays and all slots the same matrix", () => {
    const first = createSharedBuffers(X, y, 3);
    const second = viewSharedBuffers(first.memory, first.layout, 1);
    expect(second.X.values.byteOffset).toBe(first.X.values.byteOffset);
    const own = (b: typeof first) => [
      b.rows,
      b.weights,
      b.firstGradient,
      b.secondGradient,
      b.firstBlock,
      b.loss,
    ];
    const all = [...ranges(own(first)), ...ranges(own(second)), ...ranges([first.X.values, first.y])];
    for (const [i, [start, end]] of all.entries()) {
      for (const [otherStart, otherEnd] of all.slice(i + 1)) {
        expect(end <= otherStart || otherEnd <= start).toBe(true);
      }
    }
  });

  it.each([-1, OBJECTIVE_SLOTS, 0.5])("rejects the slot %s", (slot) => {
    const buffers = createSharedBuffers(X, y, 3);
    expect(() => viewSharedBuffers(buffers.memory, buffers.layout, slot)).toThrow(RangeError);
  });

  it("rejects data over the 4 GiB a WebAssembly memory can hold, before allocating", () => {
    const huge = {
      rows: 1,
      cols: 1,
      indptr: Int32Array.of(0, 500_000_000),
      indices: new Int32Array(0),
      values: new Float64Array(0),
    };
    expect(() => createSharedBuffers(huge, Int32Array.of(0), 2)).toThrow(/over the 4 GiB WebAssembly limit/);
  });
});
