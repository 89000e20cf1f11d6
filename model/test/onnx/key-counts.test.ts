import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { ONNX_IR_VERSION, ONNX_OPSET } from "../../src/onnx/export.js";
import { keyCountNodes, SLOT_MULTIPLIER } from "../../src/onnx/key-counts.js";
import { topBits } from "../../src/onnx/key-table.js";
import { floatTensor, int64Tensor, onnx, valueInfo } from "../../src/onnx/proto.js";

const SENTINEL = 2 ** 45;

/** The counting alone, as a model: int64 keys [T] → distinct keys [D] and counts [D]. */
function countModel(): Uint8Array {
  const { nodes, initializers } = keyCountNodes({
    keys: "keys",
    sentinel: "sentinel",
    distinctKeys: "distinct",
    counts: "counts",
  });
  const shared = [
    floatTensor("zero", [], [0]),
    floatTensor("one", [], [1]),
    int64Tensor("axis_0_scalar", [], [0]),
    int64Tensor("one_i64_1d", [1], [1]),
    int64Tensor("start_1", [1], [1]),
    int64Tensor("minus_one_1d", [1], [-1]),
    int64Tensor("end_max", [1], [Number.MAX_SAFE_INTEGER]),
    int64Tensor("axis_0", [1], [0]),
    int64Tensor("sentinel", [1], [SENTINEL]),
  ];
  const graph = {
    name: "key_counts",
    node: nodes,
    initializer: [...initializers, ...shared],
    input: [valueInfo("keys", "int64", ["T"])],
    output: [valueInfo("distinct", "int64", ["D"]), valueInfo("counts", "float32", ["D"])],
  };
  return onnx.ModelProto.encode({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: "", version: ONNX_OPSET }],
    graph,
  }).finish();
}

async function countKeys(keys: number[]): Promise<Map<number, number>> {
  const session = await ort.InferenceSession.create(countModel());
  try {
    const input = new ort.Tensor("int64", BigInt64Array.from(keys.map(BigInt)), [keys.length]);
    const result = await session.run({ keys: input });
    const distinct = Array.from(result.distinct!.data as BigInt64Array, Number);
    const counts = Array.from(result.counts!.data as Float32Array);
    expect(new Set(distinct).size).toBe(distinct.length);
    return new Map(distinct.map((key, i) => [key, counts[i]!]));
  } finally {
    await session.release();
  }
}

function expectedCounts(keys: number[]): Map<number, number> {
  const counts = new Map<number, number>([[SENTINEL, 1]]);
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

const sorted = (counts: Map<number, number>) => [...counts].sort((a, b) => a[0] - b[0]);

/** The slot key-counts.ts gives a key in a table of 2^bits slots. */
const slotOf = (key: number, bits: number) => topBits(key, SLOT_MULTIPLIER, bits);

describe("key counts", () => {
  it("counts every distinct key exactly, also keys sharing a slot with others", async () => {
    // 30,000 keys over 4,000 distinct values, from 0 up past 2^40
    const values = Array.from({ length: 4_000 }, (_, i) => (i === 0 ? 0 : Math.floor(i ** 3.3)));
    const keys = Array.from({ length: 30_000 }, (_, i) => values[(i * 7919) % (1 + (i % values.length))]!);
    // the table has 2^(ceil(log2 30000) + 1) slots; make sure some of them hold two different keys
    const bySlot = new Map<number, Set<number>>();
    for (const key of keys) bySlot.set(slotOf(key, 16), (bySlot.get(slotOf(key, 16)) ?? new Set()).add(key));
    expect([...bySlot.values()].filter((set) => set.size > 1).length).toBeGreaterThan(10);
    expect(sorted(await countKeys(keys))).toEqual(sorted(expectedCounts(keys)));
  });

  it("counts one key repeated, and no keys at all", async () => {
    expect(sorted(await countKeys(new Array<number>(1_000).fill(42)))).toEqual([
      [42, 1_000],
      [SENTINEL, 1],
    ]);
    expect(sorted(await countKeys([]))).toEqual([[SENTINEL, 1]]);
  });
});
