import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { buildKeyTable, KeyTableError, keyTableEntries, keyTableNodes } from "../../src/onnx/key-table.js";
import { int64Tensor, onnx, valueInfo } from "../../src/onnx/proto.js";

/** The table's lookup alone, as a model: int64 keys [T] → features [T] and found [T]. */
function lookupModel(table: ReturnType<typeof buildKeyTable>): Uint8Array {
  const { nodes, initializers } = keyTableNodes(
    { keys: "keys", features: "features", found: "found" },
    table,
  );
  const graph = {
    name: "key_table",
    node: nodes,
    initializer: [...initializers, int64Tensor("axis_1", [1], [1]), int64Tensor("flat_shape", [1], [-1])],
    input: [valueInfo("keys", "int64", ["T"])],
    output: [valueInfo("features", "int64", ["T"]), valueInfo("found", "bool", ["T"])],
  };
  return onnx.ModelProto.encode({ irVersion: 8, opsetImport: [{ domain: "", version: 17 }], graph }).finish();
}

async function lookUp(table: ReturnType<typeof buildKeyTable>, keys: number[]) {
  const session = await ort.InferenceSession.create(lookupModel(table));
  try {
    const input = new ort.Tensor("int64", BigInt64Array.from(keys.map(BigInt)), [keys.length]);
    const result = await session.run({ keys: input });
    const features = Array.from(result.features!.data as BigInt64Array, Number);
    const found = Array.from(result.found!.data as Uint8Array, Boolean);
    return keys.map((_, i) => (found[i] ? features[i] : undefined));
  } finally {
    await session.release();
  }
}

/** Distinct keys spread over [0, limit), deterministic. */
const spreadKeys = (count: number, limit: number) =>
  Array.from({ length: count }, (_, i) => Math.floor(((i * 0.6180339887498949) % 1) * limit));

describe("key table", () => {
  it("finds every key's feature in onnxruntime and nothing for other keys", async () => {
    // Enough keys that a multiplier rounded on its way into the graph would misplace some of them.
    const keys = spreadKeys(20_000, 600_000_000);
    const table = buildKeyTable(keys, keys.length, 600_000_000);
    const absent = [-1, 1, 599_999_999, ...keys.slice(0, 50).map((key) => key + 1)].filter(
      (key) => !keys.includes(key),
    );
    const found = await lookUp(table, [...keys, ...absent]);
    expect(found.slice(0, keys.length)).toEqual(keys.map((_, feature) => feature));
    expect(found.slice(keys.length)).toEqual(absent.map(() => undefined));
  });

  it("uses int64 tables when keys can pass 2^31, and still finds them", async () => {
    const limit = 2 ** 40;
    const keys = spreadKeys(3_000, limit);
    const table = buildKeyTable(keys, keys.length, limit);
    const initializers = keyTableNodes({ keys: "k", features: "f", found: "m" }, table).initializers;
    expect(initializers.find((t) => t.name === "key_table_slots")?.dataType).toBe(
      onnx.TensorProto.DataType.INT64,
    );
    expect(await lookUp(table, [...keys, limit - 1])).toEqual([...keys.map((_, f) => f), undefined]);
  });

  it("reads back every key with its feature", () => {
    const keys = spreadKeys(5_000, 10_000_000);
    const features = keys.map((_, i) => 3 * i + 1);
    const table = buildKeyTable(keys, 0, 10_000_000, features);
    const entries = keyTableEntries(table.slots).sort((a, b) => a[1] - b[1]);
    expect(entries).toEqual(keys.map((key, i) => [key, features[i]]));
  });

  it("refuses repeated, negative or out-of-range keys", () => {
    expect(() => buildKeyTable([3, 5, 3], 3, 10)).toThrow(KeyTableError);
    expect(() => buildKeyTable([3, -1], 2, 10)).toThrow("n-gram keys must be integers from 0 to 9");
    expect(() => buildKeyTable([3, 10], 2, 10)).toThrow("n-gram keys must be integers from 0 to 9");
  });

  it("is the same table for the same keys (reproducible exports)", () => {
    const keys = spreadKeys(2_000, 1_000_000);
    expect(buildKeyTable(keys, keys.length, 1_000_000)).toEqual(buildKeyTable(keys, keys.length, 1_000_000));
  });
});
