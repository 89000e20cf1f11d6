/**
 * The TF-IDF + softmax graph computed sparsely: the cost of a document is proportional to its number
 * of tokens, not to the vocabulary size. (A dense TfIdfVectorizer → [N, F] pipeline spends most of its
 * time in element-wise ops over F columns; with 60k features that is ~10× slower than this.)
 *
 *   tokens ─LabelEncoder→ token ids ─(n-gram keys)→ LabelEncoder → feature ids [N, L] (unknown → F)
 *   sort each row (TopK) → runs of equal ids → count per run (ScatterElements add) → tf on the
 *   last element of each run → × idf → L2 norm; Gather coef rows → MatMul → logits.
 */
import { NGRAM_SEPARATOR, TOKEN_PATTERN, type FittedClassifier, type FittedVectorizer } from "../types.js";
import { floatTensor, int64Tensor, node, type NodeProto, type TensorProto } from "./proto.js";

export const ML_DOMAIN = "ai.onnx.ml";
/** Padding the Tokenizer puts after short rows; TOKEN_PATTERN never yields it, so it matches no n-gram. */
const PAD_TOKEN = "#";
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

  const ngramNodes: NodeProto[] = [];
  const keyParts: string[] = [];
  // key_n = (key_{n-1}[:, :-1] + 1) · base + id[:, n-1:]
  let previous = "token_ids";
  for (let n = 1; n <= maxN; n++) {
    const current = `keys_${n}`;
    if (n > 1) {
      ngramNodes.push(
        node("Slice", [previous, "start_0", "end_minus_1", "axis_1"], [`${current}_head`]),
        node("Slice", ["token_ids", `start_${n - 1}`, "end_max", "axis_1"], [`${current}_tail`]),
        node("Add", [`${current}_head`, "one_i64"], [`${current}_head1`]),
        node("Mul", [`${current}_head1`, "key_base"], [`${current}_shifted`]),
        node("Add", [`${current}_shifted`, `${current}_tail`], [current]),
      );
    } else {
      ngramNodes.push(node("Identity", ["token_ids"], [current]));
    }
    if (n >= minN) keyParts.push(current);
    previous = current;
  }

  const tfNodes = vectorizer.params.sublinearTf
    ? [node("Log", ["run_count"], ["log_count"]), node("Add", ["log_count", "one"], ["tf_any"])]
    : [node("Identity", ["run_count"], ["tf_any"])];

  const nodes: NodeProto[] = [
    node(
      "Tokenizer",
      [inputName],
      ["tokens"],
      { mark: 0, mincharnum: 1, pad_value: PAD_TOKEN, tokenexp: TOKEN_PATTERN },
      "com.microsoft",
    ),
    node(
      "LabelEncoder",
      ["tokens"],
      ["token_ids"],
      { keys_strings: tokens, values_int64s: tokens.map((_, i) => i), default_int64: tokens.length },
      ML_DOMAIN,
    ),
    ...ngramNodes,
    // one trailing column that maps to no feature, so every row has at least one element
    node("Shape", ["token_ids"], ["token_ids_shape"]),
    node("Slice", ["token_ids_shape", "start_0", "start_1", "axis_0"], ["batch_size"]),
    node("Concat", ["batch_size", "one_i64_1d"], ["pad_shape"], { axis: 0 }),
    node("Expand", ["minus_one_i64", "pad_shape"], ["pad_keys"]),
    node("Concat", [...keyParts, "pad_keys"], ["all_keys"], { axis: 1 }),
    node(
      "LabelEncoder",
      ["all_keys"],
      ["feature_ids"],
      { keys_int64s: keys, values_int64s: keys.map((_, i) => i), default_int64: features },
      ML_DOMAIN,
    ),
    // sort each row so that repeats of a feature form runs
    node("Shape", ["feature_ids"], ["feature_ids_shape"]),
    node("Slice", ["feature_ids_shape", "start_1", "end_max", "axis_0"], ["row_length"]),
    node("TopK", ["feature_ids", "row_length"], ["sorted_ids", "sorted_positions"], {
      axis: 1,
      largest: 0,
      sorted: 1,
    }),
    node("Slice", ["sorted_ids", "start_1", "end_max", "axis_1"], ["next_ids_head"]),
    node("Concat", ["next_ids_head", "pad_keys"], ["next_ids"], { axis: 1 }),
    node("Equal", ["sorted_ids", "next_ids"], ["same_as_next"]),
    node("Not", ["same_as_next"], ["ends_run"]),
    node("Cast", ["ends_run"], ["ends_run_i64"], { to: 7 }),
    node("Cast", ["ends_run"], ["ends_run_f"], { to: 1 }),
    node("CumSum", ["ends_run_i64", "axis_1_scalar"], ["run_index"], { exclusive: 1 }),
    node("Shape", ["sorted_ids"], ["sorted_shape"]),
    node("Expand", ["zero", "sorted_shape"], ["zeros_f"]),
    node("Expand", ["one", "sorted_shape"], ["ones_f"]),
    node("ScatterElements", ["zeros_f", "run_index", "ones_f"], ["counts_by_run"], {
      axis: 1,
      reduction: "add",
    }),
    node("GatherElements", ["counts_by_run", "run_index"], ["run_count"], { axis: 1 }),
    ...tfNodes,
    node("Mul", ["tf_any", "ends_run_f"], ["tf"]),
    node("Gather", ["idf", "sorted_ids"], ["idf_of_ids"], { axis: 0 }),
    node("Mul", ["tf", "idf_of_ids"], ["tfidf"]),
    node("ReduceL2", ["tfidf"], ["norm"], { axes: [1], keepdims: 1 }),
    node("Max", ["norm", "min_norm"], ["safe_norm"]),
    node("Gather", ["coef", "sorted_ids"], ["coef_of_ids"], { axis: 0 }),
    node("Unsqueeze", ["tfidf", "axis_1"], ["tfidf_row"]),
    node("MatMul", ["tfidf_row", "coef_of_ids"], ["scores_row"]),
    node("Squeeze", ["scores_row", "axis_1"], ["scores"]),
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
    int64Tensor("one_i64_1d", [1], [1]),
    int64Tensor("minus_one_i64", [1, 1], [-1]),
    int64Tensor("key_base", [], [base]),
    int64Tensor("axis_0", [1], [0]),
    int64Tensor("axis_1", [1], [1]),
    int64Tensor("axis_1_scalar", [], [1]),
    int64Tensor("start_0", [1], [0]),
    int64Tensor("start_1", [1], [1]),
    ...Array.from({ length: Math.max(0, maxN - 2) }, (_, i) => int64Tensor(`start_${i + 2}`, [1], [i + 2])),
    int64Tensor("end_minus_1", [1], [-1]),
    int64Tensor("end_max", [1], [INT64_MAX]),
  ];
  return { nodes, initializers };
}
