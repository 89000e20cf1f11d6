/**
 * Exports a fitted TF-IDF vectorizer + logistic-regression classifier as one ONNX graph from raw text to
 * label and probabilities, following the serving contract in ../contract.ts.
 */
import { METADATA_KEYS, ONNX_INPUT, ONNX_OUTPUTS, type ModelMetadata } from "../contract.js";
import { NGRAM_SEPARATOR, TOKEN_PATTERN, type FittedClassifier, type FittedVectorizer } from "../types.js";
import {
  floatTensor,
  type GraphProto,
  type ModelProto,
  node,
  onnx,
  stringTensor,
  valueInfo,
} from "./proto.js";
import { canonicalJson } from "./canonical-json.js";

/** IR version 8 (ONNX 1.10, what onnx-proto encodes) with opset 17 and com.microsoft 1 (Tokenizer). */
const IR_VERSION = 8;
const OPSET = [
  { domain: "", version: 17 },
  { domain: "com.microsoft", version: 1 },
];
const PRODUCER_NAME = "textcat-lambda";
/** Keeps an all-zero TF-IDF row (no known n-gram) at zero instead of 0/0. */
const MIN_NORM = 1e-12;
/** Padding the Tokenizer puts after short rows; TOKEN_PATTERN never yields it, so it matches no n-gram. */
const PAD_TOKEN = "#";

export type ExportMetadata = Omit<ModelMetadata, "labels">;

export interface ExportInput {
  vectorizer: FittedVectorizer;
  classifier: FittedClassifier;
  /** Labels come from the classifier; everything else of the metadata from here. */
  metadata: ExportMetadata;
}

export class OnnxExportError extends Error {
  override name = "OnnxExportError";
}

/** The TfIdfVectorizer pool: n-grams grouped by length, each with the output column it counts into. */
export interface NgramPool {
  poolStrings: string[];
  /** Start offset in the pool of the 1-grams, 2-grams, … (ONNX `ngram_counts`). */
  ngramCounts: number[];
  /** Output column of each pool n-gram (ONNX `ngram_indexes`): the vectorizer's feature index. */
  ngramIndexes: number[];
}

export function buildNgramPool(vectorizer: FittedVectorizer): NgramPool {
  const [minN, maxN] = vectorizer.params.ngramRange;
  const featuresByLength: number[][] = Array.from({ length: maxN }, () => []);
  vectorizer.vocabulary.forEach((ngram, feature) => {
    const length = ngram.split(NGRAM_SEPARATOR).length;
    if (length < minN || length > maxN) {
      throw new OnnxExportError(`vocabulary entry "${ngram}" has ${length} tokens, outside ngramRange`);
    }
    featuresByLength[length - 1]!.push(feature);
  });
  const pool: NgramPool = { poolStrings: [], ngramCounts: [], ngramIndexes: [] };
  let offset = 0;
  for (const features of featuresByLength) {
    pool.ngramCounts.push(offset);
    for (const feature of features) {
      pool.poolStrings.push(...vectorizer.vocabulary[feature]!.split(NGRAM_SEPARATOR));
      pool.ngramIndexes.push(feature);
    }
    offset = pool.poolStrings.length;
  }
  return pool;
}

function checkShapes({ vectorizer, classifier }: ExportInput): void {
  const features = vectorizer.vocabulary.length;
  const classes = classifier.labels.length;
  if (features === 0) throw new OnnxExportError("the vectorizer has an empty vocabulary");
  if (classes < 2) throw new OnnxExportError("the classifier needs at least 2 labels");
  if (new Set(vectorizer.vocabulary).size !== features) {
    throw new OnnxExportError("the vocabulary has duplicate n-grams");
  }
  if (vectorizer.idf.length !== features) throw new OnnxExportError("idf length differs from vocabulary");
  if (classifier.coef.length !== features * classes) {
    throw new OnnxExportError(`coef has ${classifier.coef.length} values, expected ${features}×${classes}`);
  }
  if (classifier.intercept.length !== classes)
    throw new OnnxExportError("intercept length differs from labels");
}

function buildNodes(vectorizer: FittedVectorizer) {
  const pool = buildNgramPool(vectorizer);
  const [minN, maxN] = vectorizer.params.ngramRange;
  const tfNodes = vectorizer.params.sublinearTf
    ? [
        // sublinear tf: 1 + ln(tf) where tf > 0, else 0 (Where drops the -inf of ln(0))
        node("Greater", ["counts", "zero"], ["has_count"]),
        node("Log", ["counts"], ["log_counts"]),
        node("Add", ["log_counts", "one"], ["sublinear_counts"]),
        node("Where", ["has_count", "sublinear_counts", "zero"], ["tf"]),
      ]
    : [node("Identity", ["counts"], ["tf"])];
  return [
    node("StringNormalizer", [ONNX_INPUT.name], ["lowered"], {
      case_change_action: "LOWER",
      locale: "C.UTF-8",
    }),
    node(
      "Tokenizer",
      ["lowered"],
      ["tokens"],
      { mark: 0, mincharnum: 1, pad_value: PAD_TOKEN, tokenexp: TOKEN_PATTERN },
      "com.microsoft",
    ),
    node("TfIdfVectorizer", ["tokens"], ["counts"], {
      mode: "TF",
      min_gram_length: minN,
      max_gram_length: maxN,
      max_skip_count: 0,
      pool_strings: pool.poolStrings,
      ngram_counts: pool.ngramCounts,
      ngram_indexes: pool.ngramIndexes,
    }),
    ...tfNodes,
    node("Mul", ["tf", "idf"], ["tfidf"]),
    node("ReduceL2", ["tfidf"], ["norm"], { axes: [1], keepdims: 1 }),
    node("Max", ["norm", "min_norm"], ["safe_norm"]),
    node("Div", ["tfidf", "safe_norm"], ["features"]),
    node("MatMul", ["features", "coef"], ["scores"]),
    node("Add", ["scores", "intercept"], ["logits"]),
    node("Softmax", ["logits"], [ONNX_OUTPUTS.probabilities.name], { axis: -1 }),
    node("ArgMax", [ONNX_OUTPUTS.probabilities.name], ["label_index"], { axis: 1, keepdims: 0 }),
    node("Gather", ["label_names", "label_index"], [ONNX_OUTPUTS.label.name], { axis: 0 }),
  ];
}

function metadataProps(labels: string[], metadata: ExportMetadata) {
  const values: Record<keyof typeof METADATA_KEYS, string> = {
    labels: canonicalJson(labels),
    config: canonicalJson(metadata.config),
    metrics: canonicalJson(metadata.metrics),
    trainingDataSha256: metadata.trainingDataSha256,
    trainerVersion: metadata.trainerVersion,
    configName: metadata.configName,
  };
  return (Object.keys(METADATA_KEYS) as (keyof typeof METADATA_KEYS)[]).map((k) => ({
    key: METADATA_KEYS[k],
    value: values[k],
  }));
}

/** Encodes the model; the same input always gives the same bytes (no timestamps, stable ordering). */
export function exportOnnx(input: ExportInput): Uint8Array {
  checkShapes(input);
  const { vectorizer, classifier, metadata } = input;
  const features = vectorizer.vocabulary.length;
  const classes = classifier.labels.length;
  const graph: GraphProto = {
    name: "textcat",
    node: buildNodes(vectorizer),
    initializer: [
      floatTensor("zero", [], [0]),
      floatTensor("one", [], [1]),
      floatTensor("min_norm", [], [MIN_NORM]),
      floatTensor("idf", [features], vectorizer.idf),
      floatTensor("coef", [features, classes], classifier.coef),
      floatTensor("intercept", [classes], classifier.intercept),
      stringTensor("label_names", classifier.labels),
    ],
    input: [valueInfo(ONNX_INPUT.name, ONNX_INPUT.dtype, ONNX_INPUT.shape)],
    output: [
      valueInfo(ONNX_OUTPUTS.label.name, ONNX_OUTPUTS.label.dtype, ONNX_OUTPUTS.label.shape),
      valueInfo(
        ONNX_OUTPUTS.probabilities.name,
        ONNX_OUTPUTS.probabilities.dtype,
        ONNX_OUTPUTS.probabilities.shape,
      ),
    ],
  };
  const model: ModelProto = {
    irVersion: IR_VERSION,
    opsetImport: OPSET,
    producerName: PRODUCER_NAME,
    producerVersion: metadata.trainerVersion,
    graph,
    metadataProps: metadataProps(classifier.labels, metadata),
  };
  return onnx.ModelProto.encode(model).finish();
}
