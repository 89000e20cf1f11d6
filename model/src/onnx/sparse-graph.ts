/**
 * The TF-IDF + softmax graph computed sparsely: the cost of a document is proportional to its number
 * of tokens, not to the vocabulary size. (A dense TfIdfVectorizer → [N, F] pipeline spends most of its
 * time in element-wise ops over F columns; with 60k features that is ~10× slower than this.)
 *
 *   texts joined with a separator token (token-join.ts) ─Tokenizer, LabelEncoder→ one flat list of token
 *   ids in row order with each id's row → n-gram keys ─tables (feature-lookup.ts)→ feature ids
 *   → (row, feature) keys without unknowns ─counted (key-counts.ts)→ one entry per distinct
 *   (row, feature) with its count: tf × idf → per-row L2 norm and Σ tfidf · coef[feature]
 *   scattered into [N, C] (ScatterND add) → logits.
 */
import { NGRAM_SEPARATOR, type FittedClassifier, type FittedVectorizer } from "../types.js";
import { floatTensor, int64Tensor, node, type NodeProto, type TensorProto } from "./proto.js";
import { featureLookupNodes, type KeyPart } from "./feature-lookup.js";
import { tokenJoinNodes } from "./token-join.js";
import { keyCountNodes } from "./key-counts.js";

/** The log of each count: in the graph when, and only when, tf is sublinear (import.ts looks for it). */
export const LOG_COUNT = "log_count";
/** Keeps an all-zero TF-IDF row (no known n-gram) at zero instead of 0/0. */
const MIN_NORM = 1e-12;
const INT64_MAX = Number.MAX_SAFE_INTEGER;

export class GraphBuildError extends Error {
  override name = "GraphBuildError";
}

/**
 * Integer keys for n-grams over token ids 0..K-1 (K = unknown token): a unigram is its token id; an
 * n-gram t1..tn is ((t1 + 1)·B + t2)·B + … with base B = K + 1, so keys of different lengths never
 * collide and any n-gram containing an unknown token maps to a key that is in no dictionary.
 */
export interface NgramKeys {
  tokens: string[];
  /** Feature index → its integer key. */
  keys: number[];
  base: number;
}

export function ngramKeys(vectorizer: FittedVectorizer): NgramKeys {
  const [, maxN] = vectorizer.params.ngramRange;
  const tokenIds = new Map<string, number>();
  const split = vectorizer.vocabulary.map((ngram) => ngram.split(NGRAM_SEPARATOR));
  for (const parts of split)
    for (const token of parts) if (!tokenIds.has(token)) tokenIds.set(token, tokenIds.size);
  const base = tokenIds.size + 1;
  if (base ** maxN > INT64_MAX) {
    throw new GraphBuildError(`${maxN}-gram keys over ${base - 1} tokens do not fit in int64`);
  }
  const keys = split.map((parts) =>
    parts.reduce(
      (key, token, i) => (i === 0 ? tokenIds.get(token)! : (key + 1) * base + tokenIds.get(token)!),
      0,
    ),
  );
  return { tokens: [...tokenIds.keys()], keys, base };
}

/** Inverse of ngramKeys: feature index → n-gram string. */
export function vocabularyFromKeys(tokens: string[], keys: number[], base: number): string[] {
  return keys.map((key) => {
    const parts: string[] = [];
    let rest = key;
    while (rest >= base) {
      parts.unshift(tokens[rest % base]!);
      rest = Math.floor(rest / base) - 1;
    }
    parts.unshift(tokens[rest]!);
    return parts.join(NGRAM_SEPARATOR);
  });
}

export interface SparseGraph {
  nodes: NodeProto[];
  initializers: TensorProto[];
}

/** Nodes from `lowered` text tokens to `logits` [N, C]. */
export function buildSparseGraph(
  inputName: string,
  vectorizer: FittedVectorizer,
  classifier: FittedClassifier,
): SparseGraph {
  const [minN, maxN] = vectorizer.params.ngramRange;
  const features = vectorizer.vocabulary.length;
  const classes = classifier.labels.length;
  const { tokens, keys, base } = ngramKeys(vectorizer);
  // n-gram n over the flat list: key_n = (key_{n-1}[:-1] + 1) · base + id[n-1:]. An n-gram that crosses
  // rows holds a separator, whose id is the unknown token's, so it is no feature.
  const ngramNodes: NodeProto[] = [];
  const keyParts: KeyPart[] = [];
  const rowParts: string[] = [];
  let previous = "flat_ids";
  for (let n = 1; n <= maxN; n++) {
    const keys = `keys_${n}`;
    const rows = `rows_${n}`;
    if (n === 1) {
      ngramNodes.push(node("Identity", ["flat_ids"], [keys]), node("Identity", ["token_rows"], [rows]));
    } else {
      ngramNodes.push(
        node("Slice", [previous, "start_0", "end_minus_1", "axis_0"], [`${keys}_head`]),
        node("Slice", ["flat_ids", `start_${n - 1}`, "end_max", "axis_0"], [`${keys}_tail`]),
        node("Add", [`${keys}_head`, "one_i64"], [`${keys}_head1`]),
        node("Mul", [`${keys}_head1`, "key_base"], [`${keys}_shifted`]),
        node("Add", [`${keys}_shifted`, `${keys}_tail`], [keys]),
        node("Slice", ["token_rows", `start_${n - 1}`, "end_max", "axis_0"], [rows]),
      );
    }
    if (n >= minN) {
      keyParts.push({ n, keys });
      rowParts.push(rows);
    }
    previous = keys;
  }

  const tokenJoin = tokenJoinNodes({ texts: inputName, ids: "flat_ids", rows: "token_rows" }, tokens);
  const keyCounts = keyCountNodes({
    keys: "found_keys",
    sentinel: "sentinel_key",
    distinctKeys: "distinct_keys",
    counts: "run_count",
  });
  const lookup = featureLookupNodes(keyParts, keys, base, base ** maxN);
  const tfNodes = vectorizer.params.sublinearTf
    ? [node("Log", ["run_count"], [LOG_COUNT]), node("Add", [LOG_COUNT, "one"], ["tf_any"])]
    : [node("Identity", ["run_count"], ["tf_any"])];

  const nodes: NodeProto[] = [
    node("Shape", [inputName], ["batch_size"]),
    ...tokenJoin.nodes,
    ...ngramNodes,
    node("Concat", rowParts, ["all_rows"], { axis: 0 }),
    ...lookup.nodes,
    node("Mul", ["all_rows", "features_plus_one"], ["row_offset"]),
    node("Add", ["row_offset", "feature_ids"], ["row_keys"]),
    node("Compress", ["row_keys", "is_feature"], ["found_keys"], { axis: 0 }),
    // one sentinel key (last row, "no feature") so the list is never empty
    node("Mul", ["batch_size", "features_plus_one"], ["key_count"]),
    node("Sub", ["key_count", "one_i64_1d"], ["sentinel_key"]),
    ...keyCounts.nodes,
    node("Div", ["distinct_keys", "features_plus_one"], ["entry_row"]),
    node("Mod", ["distinct_keys", "features_plus_one"], ["entry_feature"]),
    ...tfNodes,
    node("Gather", ["idf", "entry_feature"], ["entry_idf"], { axis: 0 }),
    node("Mul", ["tf_any", "entry_idf"], ["tfidf"]),
    node("Mul", ["tfidf", "tfidf"], ["tfidf_squared"]),
    node("Expand", ["zero", "batch_size"], ["zeros_n"]),
    node("ScatterElements", ["zeros_n", "entry_row", "tfidf_squared"], ["squared_norm"], {
      axis: 0,
      reduction: "add",
    }),
    node("Sqrt", ["squared_norm"], ["norm"]),
    node("Max", ["norm", "min_norm"], ["safe_norm_flat"]),
    node("Unsqueeze", ["safe_norm_flat", "axis_1"], ["safe_norm"]),
    node("Gather", ["coef", "entry_feature"], ["entry_coef"], { axis: 0 }),
    node("Unsqueeze", ["tfidf", "axis_1"], ["tfidf_column"]),
    node("Mul", ["entry_coef", "tfidf_column"], ["entry_scores"]),
    node("Unsqueeze", ["entry_row", "axis_1"], ["entry_row_column"]),
    node("Concat", ["batch_size", "class_count"], ["scores_shape"], { axis: 0 }),
    node("Expand", ["zero", "scores_shape"], ["zeros_nc"]),
    node("ScatterND", ["zeros_nc", "entry_row_column", "entry_scores"], ["scores"], { reduction: "add" }),
    node("Div", ["scores", "safe_norm"], ["normalised_scores"]),
    node("Add", ["normalised_scores", "intercept"], ["logits"]),
  ];

  // idf and coef get one extra zero row for "no feature" (id F)
  const idf = new Float64Array(features + 1);
  idf.set(vectorizer.idf);
  const coef = new Float64Array((features + 1) * classes);
  coef.set(classifier.coef);
  const initializers: TensorProto[] = [
    floatTensor("zero", [], [0]),
    floatTensor("one", [], [1]),
    floatTensor("min_norm", [], [MIN_NORM]),
    floatTensor("idf", [features + 1], idf),
    floatTensor("coef", [features + 1, classes], coef),
    floatTensor("intercept", [classes], classifier.intercept),
    int64Tensor("one_i64", [], [1]),
    int64Tensor("features_plus_one", [], [features + 1]),
    int64Tensor("flat_shape", [1], [-1]),
    int64Tensor("minus_one_1d", [1], [-1]),
    int64Tensor("class_count", [1], [classes]),
    int64Tensor("axis_0_scalar", [], [0]),
    int64Tensor("one_i64_1d", [1], [1]),
    int64Tensor("key_base", [], [base]),
    int64Tensor("axis_0", [1], [0]),
    int64Tensor("axis_1", [1], [1]),
    int64Tensor("start_0", [1], [0]),
    int64Tensor("start_1", [1], [1]),
    ...Array.from({ length: Math.max(0, maxN - 2) }, (_, i) => int64Tensor(`start_${i + 2}`, [1], [i + 2])),
    int64Tensor("end_minus_1", [1], [-1]),
    int64Tensor("end_max", [1], [INT64_MAX]),
    ...tokenJoin.initializers,
    ...keyCounts.initializers,
    ...lookup.initializers,
  ];
  return { nodes, initializers };
}
