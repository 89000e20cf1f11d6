/**
 * Exports a fitted TF-IDF vectorizer + logistic-regression classifier as one ONNX graph from raw text to
 * label and probabilities, following the serving contract in ../contract.ts.
 */
import { METADATA_KEYS, ONNX_INPUT, ONNX_OUTPUTS, type ModelMetadata } from "@textcat/contract";
import { NGRAM_SEPARATOR, type FittedClassifier, type FittedVectorizer } from "../types.js";
import { type GraphProto, ML_DOMAIN, type ModelProto, node, onnx, stringTensor, valueInfo } from "./proto.js";
import { buildSparseGraph } from "./sparse-graph.js";
import { ROW_SEPARATOR } from "./token-join.js";
import { canonicalJson } from "./canonical-json.js";

/**
 * Opset 20 (StringConcat, ScatterElements' max) came with ONNX 1.15, whose IR version is 9: "ONNX
 * version | IR version | Opset version ai.onnx [...] 1.15.0 | 9 | 20"
 * (https://onnx.ai/onnx/repo-docs/Versioning.html). IR 9 "Added AttributeProto to FunctionProto [...]
 * Added FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ" (onnx/onnx.proto, enum Version), none
 * of which this model uses, so onnx-proto's IR 8 messages encode all of it.
 */
export const ONNX_IR_VERSION = 9;
export const ONNX_OPSET = 20;
/** ai.onnx.ml 2 for the LabelEncoder, com.microsoft 1 for the Tokenizer. */
const OPSET = [
  { domain: "", version: ONNX_OPSET },
  { domain: ML_DOMAIN, version: 2 },
  { domain: "com.microsoft", version: 1 },
];
const PRODUCER_NAME = "textcat-lambda";

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

function checkShapes({ vectorizer, classifier }: ExportInput): void {
  const features = vectorizer.vocabulary.length;
  const classes = classifier.labels.length;
  if (features === 0) throw new OnnxExportError("the vectorizer has an empty vocabulary");
  if (classes < 2) throw new OnnxExportError("the classifier needs at least 2 labels");
  if (new Set(vectorizer.vocabulary).size !== features) {
    throw new OnnxExportError("the vocabulary has duplicate n-grams");
  }
  const [minN, maxN] = vectorizer.params.ngramRange;
  for (const ngram of vectorizer.vocabulary) {
    const tokens = ngram.split(NGRAM_SEPARATOR);
    if (tokens.includes(ROW_SEPARATOR)) {
      throw new OnnxExportError(`vocabulary entry "${ngram}" holds the graph's row separator`);
    }
    const length = tokens.length;
    if (length < minN || length > maxN) {
      throw new OnnxExportError(`vocabulary entry "${ngram}" has ${length} tokens, outside ngramRange`);
    }
  }
  if (vectorizer.idf.length !== features) throw new OnnxExportError("idf length differs from vocabulary");
  if (classifier.coef.length !== features * classes) {
    throw new OnnxExportError(`coef has ${classifier.coef.length} values, expected ${features}×${classes}`);
  }
  if (classifier.intercept.length !== classes)
    throw new OnnxExportError("intercept length differs from labels");
}

function buildGraph({ vectorizer, classifier }: ExportInput) {
  const sparse = buildSparseGraph("lowered", vectorizer, classifier);
  const nodes = [
    node("StringNormalizer", [ONNX_INPUT.name], ["lowered"], {
      case_change_action: "LOWER",
      locale: "C.UTF-8",
    }),
    ...sparse.nodes,
    node("Softmax", ["logits"], [ONNX_OUTPUTS.probabilities.name], { axis: -1 }),
    node("ArgMax", [ONNX_OUTPUTS.probabilities.name], ["label_index"], { axis: 1, keepdims: 0 }),
    node("Gather", ["label_names", "label_index"], [ONNX_OUTPUTS.label.name], { axis: 0 }),
  ];
  return { nodes, initializers: [...sparse.initializers, stringTensor("label_names", classifier.labels)] };
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
  const { classifier, metadata } = input;
  const { nodes, initializers } = buildGraph(input);
  const graph: GraphProto = {
    name: "textcat",
    node: nodes,
    initializer: initializers,
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
    irVersion: ONNX_IR_VERSION,
    opsetImport: OPSET,
    producerName: PRODUCER_NAME,
    producerVersion: metadata.trainerVersion,
    graph,
    metadataProps: metadataProps(classifier.labels, metadata),
  };
  return onnx.ModelProto.encode(model).finish();
}
