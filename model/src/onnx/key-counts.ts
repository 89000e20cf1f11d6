/**
 * Counts repeated (row, feature) keys: int64 `keys` [T] → each distinct key once [D] with how often it
 * occurs (float) [D], in no particular order.
 *
 * Sorting all T keys (TopK) cost more than anything in the graph but the Tokenizer. Instead each key
 * goes to a slot of a table of 2T to 4T slots (the top bits of key × an odd constant), and three
 * scatters give every slot its largest key, the sum of its keys and their number. When the sum is
 * number × largest, all keys of the slot are one key, counted exactly. Only the keys that share a slot
 * with a different key (about a quarter) are sorted and their runs counted.
 */
import { DataType, doubleScalar, int64Tensor, node, topBitsNodes, uint64Scalar } from "./proto.js";
import type { NodeProto, TensorProto } from "./proto.js";

/** Table slots: 2^(ceil(log2 T) + 1), 2T to 4T (one more bit measured slower: larger table scans). */
const EXTRA_TABLE_BITS = 1;
/** An odd constant with well-mixed bits (2^64 / golden ratio), for multiplicative hashing. */
export const SLOT_MULTIPLIER = 0x9e3779b97f4a7c15n;

export interface KeyCountNames {
  /** [T] int64 keys, all ≥ 0. */
  keys: string;
  /** [1] int64 a key to count besides them (so the sorted part is never empty). */
  sentinel: string;
  /** [D] int64 output. */
  distinctKeys: string;
  /** [D] float output. */
  counts: string;
}

/** Sorts `keys` and counts each run: the grouping of the keys that share a slot. */
function sortedRunNodes(keys: string, distinct: string, counts: string): NodeProto[] {
  return [
    node("Shape", [keys], ["sorted_total"]),
    node("TopK", [keys, "sorted_total"], ["sorted_keys", "sorted_positions"], {
      axis: 0,
      largest: 0,
      sorted: 1,
    }),
    node("Slice", ["sorted_keys", "start_1", "end_max", "axis_0"], ["next_keys_head"]),
    node("Concat", ["next_keys_head", "minus_one_1d"], ["next_keys"], { axis: 0 }),
    node("Equal", ["sorted_keys", "next_keys"], ["same_as_next"]),
    node("Not", ["same_as_next"], ["ends_run"]),
    node("Cast", ["ends_run"], ["ends_run_i64"], { to: DataType.INT64 }),
    node("CumSum", ["ends_run_i64", "axis_0_scalar"], ["run_index"], { exclusive: 1 }),
    node("Expand", ["zero", "sorted_total"], ["zeros_sorted"]),
    node("Expand", ["one", "sorted_total"], ["ones_sorted"]),
    node("ScatterElements", ["zeros_sorted", "run_index", "ones_sorted"], ["counts_by_run"], {
      axis: 0,
      reduction: "add",
    }),
    node("Gather", ["counts_by_run", "run_index"], ["sorted_count_all"], { axis: 0 }),
    // one entry per run: its last
    node("Compress", ["sorted_keys", "ends_run"], [distinct], { axis: 0 }),
    node("Compress", ["sorted_count_all", "ends_run"], [counts], { axis: 0 }),
  ];
}

/**
 * Also reads the graph's shared initializers zero, one (float scalars), axis_0_scalar (int64 scalar),
 * one_i64_1d, start_1, minus_one_1d, end_max and axis_0 ([1] int64) (sparse-graph.ts).
 */
export function keyCountNodes(names: KeyCountNames): { nodes: NodeProto[]; initializers: TensorProto[] } {
  const { keys } = names;
  const scatter = (table: string, values: string, out: string, reduction: string) =>
    node("ScatterElements", [table, "count_slot", values], [out], { axis: 0, reduction });
  const nodes: NodeProto[] = [
    // table bits b = ceil(log2 max(T, 1)) + EXTRA_TABLE_BITS; slot = top b bits of key × multiplier
    node("Shape", [keys], ["count_total"]),
    node("Max", ["count_total", "one_i64_1d"], ["count_total_1"]),
    node("Cast", ["count_total_1"], ["count_total_f"], { to: DataType.DOUBLE }),
    node("Log", ["count_total_f"], ["count_log"]),
    node("Div", ["count_log", "count_ln2"], ["count_log2"]),
    node("Ceil", ["count_log2"], ["count_log2_up"]),
    node("Add", ["count_log2_up", "count_extra_bits"], ["count_bits_f"]),
    node("Cast", ["count_bits_f"], ["count_bits"], { to: DataType.UINT64 }),
    node("Sub", ["count_word_bits", "count_bits"], ["count_slot_shift"]),
    node("BitShift", ["count_one_u64", "count_bits"], ["count_table_size_u64"], { direction: "LEFT" }),
    node("Cast", ["count_table_size_u64"], ["count_table_size"], { to: DataType.INT64 }),
    node("Cast", [keys], ["count_key_u64"], { to: DataType.UINT64 }),
    ...topBitsNodes("count_key_u64", "count_slot", DataType.INT64),
    // per slot: largest key, sum of keys, number of keys
    node("Expand", ["count_below_keys", "count_table_size"], ["count_no_max"]),
    node("Expand", ["count_no_key", "count_table_size"], ["count_zeros"]),
    node("Expand", ["count_one_key", "count_total"], ["count_ones"]),
    scatter("count_no_max", keys, "slot_max", "max"),
    scatter("count_zeros", keys, "slot_sum", "add"),
    scatter("count_zeros", "count_ones", "slot_count", "add"),
    // one distinct key in a slot: its keys sum to count × largest (an empty slot has max -1, sum 0)
    node("Mul", ["slot_count", "slot_max"], ["slot_all_max"]),
    node("Equal", ["slot_sum", "slot_all_max"], ["slot_single_or_empty"]),
    node("Greater", ["slot_count", "count_no_key"], ["slot_used"]),
    node("And", ["slot_single_or_empty", "slot_used"], ["slot_single"]),
    node("NonZero", ["slot_single"], ["single_slots_2d"]),
    node("Reshape", ["single_slots_2d", "minus_one_1d"], ["single_slots"]),
    node("Gather", ["slot_max", "single_slots"], ["single_keys"], { axis: 0 }),
    node("Gather", ["slot_count", "single_slots"], ["single_counts_i64"], { axis: 0 }),
    node("Cast", ["single_counts_i64"], ["single_counts"], { to: DataType.FLOAT }),
    // keys in a slot shared with other keys: sorted and counted by runs
    node("Not", ["slot_single"], ["slot_shared"]),
    node("Gather", ["slot_shared", "count_slot"], ["key_shared"], { axis: 0 }),
    node("Compress", [keys, "key_shared"], ["shared_keys"], { axis: 0 }),
    node("Concat", ["shared_keys", names.sentinel], ["shared_keys_and_sentinel"], { axis: 0 }),
    ...sortedRunNodes("shared_keys_and_sentinel", "shared_distinct", "shared_counts"),
    node("Concat", ["single_keys", "shared_distinct"], [names.distinctKeys], { axis: 0 }),
    node("Concat", ["single_counts", "shared_counts"], [names.counts], { axis: 0 }),
  ];
  const initializers: TensorProto[] = [
    doubleScalar("count_ln2", Math.LN2),
    doubleScalar("count_extra_bits", EXTRA_TABLE_BITS),
    uint64Scalar("count_word_bits", 64n),
    uint64Scalar("count_one_u64", 1n),
    uint64Scalar("count_slot_multiplier", SLOT_MULTIPLIER),
    int64Tensor("count_below_keys", [], [-1]),
    int64Tensor("count_no_key", [], [0]),
    int64Tensor("count_one_key", [], [1]),
  ];
  return { nodes, initializers };
}
