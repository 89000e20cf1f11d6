/**
 * The n-gram key → feature lookup as a hash table held in initializers, instead of a LabelEncoder:
 * onnxruntime builds a LabelEncoder's hash map from its attributes at every session creation (for 90,000
 * keys about 22 ms of a cold start, `npm run bench:service`), while initializers are used in place.
 *
 * A perfect hash by "hash and displace": a key has a bucket (the top bits of key × m1 mod 2^64) and a home
 * slot (the top bits of key × m2); each bucket has one displacement d, chosen when the table is built so
 * that all its keys land in distinct free slots home + d. A lookup is arithmetic and two gathers: the
 * slot's stored key must equal the key, otherwise (an n-gram with an unknown token or a row separator,
 * one not in the vocabulary) it is "no feature". Two keys with the same bucket and the same
 * home could never be separated, so the multipliers are the first pair of a fixed list without such keys.
 */
import { DataType, int32Tensor, int64Tensor, node, topBitsNodes, uint64Scalar } from "./proto.js";
import type { NodeProto, TensorProto } from "./proto.js";

/** An empty slot's key: every key the graph looks up is ≥ 0. */
const EMPTY_KEY = -2;
const INT32_LIMIT = 2 ** 31;
const WORD = 1n << 64n;
/** Odd 64-bit multipliers from splitmix64 (a fixed sequence, so exports are reproducible). */
function* multipliers(): Generator<bigint> {
  let state = 0x9e3779b97f4a7c15n;
  for (;;) {
    state = (state + 0x9e3779b97f4a7c15n) % WORD;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) % WORD;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) % WORD;
    yield (z ^ (z >> 31n)) | 1n;
  }
}
const MAX_TRIES = 64;

export class KeyTableError extends Error {
  override name = "KeyTableError";
}

export interface KeyTable {
  /** What a key in no slot maps to (the "no feature" index). */
  missing: number;
  /** Every key the graph can look up is below this: int32 tables when it is ≤ 2^31 (half the bytes). */
  keyLimit: number;
  bucketMultiplier: bigint;
  slotMultiplier: bigint;
  bucketBits: number;
  slotBits: number;
  /** Per bucket, the offset added to its keys' home slots. */
  displacements: number[];
  /** Per slot: [the key stored there or EMPTY_KEY, its feature or `missing`], one cache line for both. */
  slots: Array<[number, number]>;
}

/** The top `bits` bits of key × multiplier mod 2^64 (what Mul and BitShift compute on uint64). */
export function topBits(key: number, multiplier: bigint, bits: number): number {
  return Number(((BigInt(key) * multiplier) % WORD) >> BigInt(64 - bits));
}

const bitsFor = (count: number) => Math.max(1, Math.ceil(Math.log2(count)));

/** Builds the table for distinct non-negative `keys` below `keyLimit`; keys[i] is feature featureIds[i]. */
export function buildKeyTable(
  keys: readonly number[],
  missing: number,
  keyLimit: number,
  featureIds: readonly number[] = keys.map((_, i) => i),
): KeyTable {
  if (keys.some((key) => !Number.isSafeInteger(key) || key < 0 || key >= keyLimit)) {
    throw new KeyTableError(`n-gram keys must be integers from 0 to ${keyLimit - 1}`);
  }
  if (new Set(keys).size !== keys.length) throw new KeyTableError("n-gram keys must be distinct");
  // Load ≤ 3/4 and about 3 keys per bucket: each bucket then finds free slots within a few tries.
  const slotBits = bitsFor((keys.length * 4) / 3 + 1);
  const bucketBits = bitsFor(keys.length / 3 + 1);
  const candidates = multipliers();
  for (let attempt = 0; attempt < MAX_TRIES; attempt += 1) {
    const bucketMultiplier = candidates.next().value as bigint;
    const slotMultiplier = candidates.next().value as bigint;
    const homes = keys.map((key) => topBits(key, slotMultiplier, slotBits));
    const bucketOf = keys.map((key) => topBits(key, bucketMultiplier, bucketBits));
    const buckets = Array.from({ length: 2 ** bucketBits }, () => [] as number[]);
    bucketOf.forEach((bucket, feature) => buckets[bucket]!.push(feature));
    const separable = buckets.every(
      (features) => new Set(features.map((f) => homes[f])).size === features.length,
    );
    if (!separable) continue;
    const displacements = placeBuckets(buckets, homes);
    // Any key's home plus any displacement is a slot, so a lookup never gathers out of range.
    const slots = Array.from({ length: 2 ** slotBits + Math.max(...displacements) }, (): [number, number] => [
      EMPTY_KEY,
      missing,
    ]);
    homes.forEach((home, i) => {
      slots[home + displacements[bucketOf[i]!]!] = [keys[i]!, featureIds[i]!];
    });
    return {
      missing,
      keyLimit,
      bucketMultiplier,
      slotMultiplier,
      bucketBits,
      slotBits,
      displacements,
      slots,
    };
  }
  throw new KeyTableError(`no multiplier pair of ${MAX_TRIES} separates the n-gram keys`);
}

/** Per bucket, the smallest displacement that puts all its keys in free slots, largest buckets first. */
function placeBuckets(buckets: number[][], homes: number[]): number[] {
  const taken = new Set<number>();
  const displacements = new Array<number>(buckets.length).fill(0);
  const largestFirst = buckets.map((_, b) => b).sort((a, b) => buckets[b]!.length - buckets[a]!.length);
  for (const bucket of largestFirst) {
    const features = buckets[bucket]!;
    if (features.length === 0) break;
    let d = 0;
    while (features.some((f) => taken.has(homes[f]! + d))) d += 1;
    for (const f of features) taken.add(homes[f]! + d);
    displacements[bucket] = d;
  }
  return displacements;
}

/** Each stored key and its feature (reading a model back). */
export function keyTableEntries(slots: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  return slots.filter(([key]) => key !== EMPTY_KEY).map(([key, feature]) => [key, feature]);
}

/** Initializer names of the table (import.ts reads the slots back). */
export const KEY_TABLE_TENSORS = {
  displacements: "key_table_displacements",
  slots: "key_table_slots",
} as const;

/** Displacements are small (below 100 for 90,000 keys): one byte each keeps that table in the L1 cache. */
function displacementTensor(displacements: number[], indexTensor: typeof int64Tensor): TensorProto {
  const name = KEY_TABLE_TENSORS.displacements;
  if (Math.max(...displacements) > 255) return indexTensor(name, [displacements.length], displacements);
  return {
    name,
    dims: [displacements.length],
    dataType: DataType.UINT8,
    rawData: Uint8Array.from(displacements),
  };
}

/**
 * Nodes mapping int64 `keys` [T] to `features` [T] and the bool mask `found` [T]: where a key is not in
 * the table, its feature is that of whichever key holds its slot, so it must be dropped by `found` (a
 * Where choosing `missing` instead cost more than the rest of the lookup). Reads the graph's shared
 * initializers `axis_1` and `flat_shape`.
 */
export function keyTableNodes(
  names: { keys: string; features: string; found: string },
  table: KeyTable,
): { nodes: NodeProto[]; initializers: TensorProto[] } {
  const { keys, features, found } = names;
  const narrow = table.keyLimit <= INT32_LIMIT;
  const index = narrow ? DataType.INT32 : DataType.INT64;
  const tensor = narrow ? int32Tensor : int64Tensor;
  const nodes: NodeProto[] = [
    node("Cast", [keys], ["key_u64"], { to: DataType.UINT64 }),
    ...topBitsNodes("key_u64", "key_bucket", index),
    ...topBitsNodes("key_u64", "key_home", index),
    node("Gather", [KEY_TABLE_TENSORS.displacements, "key_bucket"], ["key_displacement_stored"], { axis: 0 }),
    node("Cast", ["key_displacement_stored"], ["key_displacement"], { to: index }),
    node("Add", ["key_home", "key_displacement"], ["key_slot"]),
    node("Gather", [KEY_TABLE_TENSORS.slots, "key_slot"], ["key_slot_entry"], { axis: 0 }),
    node("Split", ["key_slot_entry", "key_split"], ["key_in_slot", "key_slot_feature"], { axis: 1 }),
    node("Unsqueeze", [keys, "axis_1"], ["key_column"]),
    node("Cast", ["key_column"], ["key_column_narrow"], { to: index }),
    node("Equal", ["key_in_slot", "key_column_narrow"], ["key_found_column"]),
    node("Reshape", ["key_found_column", "flat_shape"], [found]),
    node("Reshape", ["key_slot_feature", "flat_shape"], ["key_slot_feature_flat"]),
    node("Cast", ["key_slot_feature_flat"], [features], { to: DataType.INT64 }),
  ];
  const initializers: TensorProto[] = [
    uint64Scalar("key_bucket_multiplier", table.bucketMultiplier),
    uint64Scalar("key_bucket_shift", BigInt(64 - table.bucketBits)),
    uint64Scalar("key_home_multiplier", table.slotMultiplier),
    uint64Scalar("key_home_shift", BigInt(64 - table.slotBits)),
    displacementTensor(table.displacements, tensor),
    tensor(KEY_TABLE_TENSORS.slots, [table.slots.length, 2], table.slots.flat()),
    int64Tensor("key_split", [2], [1, 1]),
  ];
  return { nodes, initializers };
}
