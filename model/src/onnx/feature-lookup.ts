/**
 * n-gram keys → feature ids and a mask of the keys that are features. A unigram's key is its token id,
 * so unigram features are one gather from a table indexed by token id; longer n-grams go through the
 * key table (key-table.ts). Both tables are initializers, which an ORT-format model uses in place
 * (a LabelEncoder's map would be rebuilt at every session creation).
 */
import { buildKeyTable, keyTableNodes } from "./key-table.js";
import { DataType, int32Tensor, node, type NodeProto, type TensorProto } from "./proto.js";

/** Initializer: feature of each token's unigram, or the number of features (none). */
export const UNIGRAM_FEATURES = "unigram_features";

export interface KeyPart {
  /** n-gram length. */
  n: number;
  /** Name of the int64 keys [T_n]. */
  keys: string;
}

/**
 * Nodes from the key parts (in the order their rows are concatenated) to int64 `feature_ids` and bool
 * `is_feature`. featureKeys[f] is feature f's key; keys below `base` are unigrams.
 */
export function featureLookupNodes(
  parts: readonly KeyPart[],
  featureKeys: readonly number[],
  base: number,
  keyLimit: number,
): { nodes: NodeProto[]; initializers: TensorProto[] } {
  const missing = featureKeys.length;
  const nodes: NodeProto[] = [];
  const initializers: TensorProto[] = [];
  const featureParts: string[] = [];
  const foundParts: string[] = [];
  const unigram = parts.find((part) => part.n === 1);
  if (unigram) {
    const table = new Array<number>(base).fill(missing);
    featureKeys.forEach((key, feature) => {
      if (key < base) table[key] = feature;
    });
    initializers.push(
      int32Tensor(UNIGRAM_FEATURES, [base], table),
      int32Tensor("unigram_none", [], [missing]),
    );
    nodes.push(
      node("Gather", [UNIGRAM_FEATURES, unigram.keys], ["unigram_feature_narrow"], { axis: 0 }),
      node("Equal", ["unigram_feature_narrow", "unigram_none"], ["unigram_unknown"]),
      node("Not", ["unigram_unknown"], ["unigram_found"]),
      node("Cast", ["unigram_feature_narrow"], ["unigram_feature"], { to: DataType.INT64 }),
    );
    featureParts.push("unigram_feature");
    foundParts.push("unigram_found");
  }
  const longer = parts.filter((part) => part.n > 1);
  if (longer.length > 0) {
    const multi = featureKeys.flatMap((key, feature) => (key >= base ? [feature] : []));
    const table = buildKeyTable(
      multi.map((feature) => featureKeys[feature]!),
      missing,
      keyLimit,
      multi,
    );
    const lookup = keyTableNodes(
      { keys: "ngram_keys", features: "ngram_feature", found: "ngram_found" },
      table,
    );
    nodes.push(
      node(
        "Concat",
        longer.map((part) => part.keys),
        ["ngram_keys"],
        { axis: 0 },
      ),
      ...lookup.nodes,
    );
    initializers.push(...lookup.initializers);
    featureParts.push("ngram_feature");
    foundParts.push("ngram_found");
  }
  nodes.push(
    node("Concat", featureParts, ["feature_ids"], { axis: 0 }),
    node("Concat", foundParts, ["is_feature"], { axis: 0 }),
  );
  return { nodes, initializers };
}
