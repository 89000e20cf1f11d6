/**
 * Reads a vectorizer and classifier back out of a model written by exportOnnx (weights as stored, i.e.
 * float32), so a committed model.onnx can be checked against the TypeScript pipeline without retraining.
 */
import onnxProto from "onnx-proto";
import { readModelMetadata, type ModelMetadata } from "@textcat/contract";
import { NGRAM_SEPARATOR, type FittedClassifier, type FittedVectorizer } from "../types.js";
import { DataType, nodesWithSubgraphs, onnx } from "./proto.js";
import { UNIGRAM_FEATURES } from "./feature-lookup.js";
import { KEY_TABLE_TENSORS, keyTableEntries } from "./key-table.js";
import { LOG_COUNT, vocabularyFromKeys } from "./sparse-graph.js";

type Node = onnxProto.onnx.INodeProto;
type Tensor = onnxProto.onnx.ITensorProto;

export class OnnxImportError extends Error {
  override name = "OnnxImportError";
}

const utf8 = new TextDecoder();

function attribute(node: Node, name: string) {
  const found = node.attribute?.find((a) => a.name === name);
  if (!found) throw new OnnxImportError(`${node.opType} has no attribute ${name}`);
  return found;
}

function initializer(tensors: Tensor[], name: string): Tensor {
  const found = tensors.find((t) => t.name === name);
  if (!found) throw new OnnxImportError(`the graph has no initializer ${name}`);
  return found;
}

function floats(tensor: Tensor): Float64Array {
  const raw = tensor.rawData;
  if (!raw) return Float64Array.from(tensor.floatData ?? []);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return Float64Array.from({ length: raw.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

/** The values of an int64 or int32 tensor. */
function integers(tensor: Tensor): number[] {
  const raw = tensor.rawData;
  const narrow = tensor.dataType === DataType.INT32;
  if (!raw) return narrow ? (tensor.int32Data ?? []) : (tensor.int64Data ?? []).map(Number);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return narrow
    ? Array.from({ length: raw.byteLength / 4 }, (_, i) => view.getInt32(i * 4, true))
    : Array.from({ length: raw.byteLength / 8 }, (_, i) => Number(view.getBigInt64(i * 8, true)));
}

/** Feature → key, from the unigram table and the key table (feature-lookup.ts), whichever the graph has. */
function featureKeysOf(tensors: Tensor[], features: number): number[] {
  const keys = new Array<number | undefined>(features).fill(undefined);
  const unigrams = tensors.find((t) => t.name === UNIGRAM_FEATURES);
  if (unigrams) {
    integers(unigrams).forEach((feature, token) => {
      if (feature < features) keys[feature] = token;
    });
  }
  const slots = tensors.find((t) => t.name === KEY_TABLE_TENSORS.slots);
  if (slots) {
    const values = integers(slots);
    const pairs = Array.from({ length: values.length / 2 }, (_, i): [number, number] => [
      values[2 * i]!,
      values[2 * i + 1]!,
    ]);
    for (const [key, feature] of keyTableEntries(pairs)) keys[feature] = key;
  }
  const lost = keys.findIndex((key) => key === undefined);
  if (lost !== -1) throw new OnnxImportError(`the graph's lookup tables hold no key for feature ${lost}`);
  return keys as number[];
}

/** Inverse of ngramKeys: feature index → n-gram, from the token LabelEncoder and the lookup tables. */
function vocabularyOf(nodes: Node[], tensors: Tensor[]): string[] {
  const tokenEncoder = nodesWithSubgraphs(nodes).find((n) => n.opType === "LabelEncoder");
  if (!tokenEncoder) {
    throw new OnnxImportError("the graph lacks its token LabelEncoder: not a model written by exportOnnx");
  }
  // the token ids are 0..base-2; the row separator's key (token-join.ts) comes after them
  const [base] = integers(initializer(tensors, "key_base"));
  const keys = attribute(tokenEncoder, "keys_strings").strings ?? [];
  const tokens = keys.slice(0, base! - 1).map((s) => utf8.decode(s));
  // idf has one row per feature and the "no feature" row.
  const features = floats(initializer(tensors, "idf")).length - 1;
  return vocabularyFromKeys(tokens, featureKeysOf(tensors, features), base!);
}

function ngramRangeOf(vocabulary: string[]): [number, number] {
  const lengths = vocabulary.map((ngram) => ngram.split(NGRAM_SEPARATOR).length);
  return [Math.min(...lengths), Math.max(...lengths)];
}

export interface ImportedModel {
  vectorizer: FittedVectorizer;
  classifier: FittedClassifier;
  metadata: ModelMetadata;
}

export function importOnnx(bytes: Uint8Array): ImportedModel {
  const metadata = readModelMetadata(bytes);
  const graph = onnx.ModelProto.decode(bytes).graph;
  if (!graph) throw new OnnxImportError("the model has no graph");
  const nodes = graph.node ?? [];
  const tensors = graph.initializer ?? [];
  const vocabulary = vocabularyOf(nodes, tensors);
  const features = vocabulary.length;
  const vectorParams = metadata.config["vectorizer"] as Partial<FittedVectorizer["params"]> | undefined;
  const vectorizer: FittedVectorizer = {
    params: {
      minDf: vectorParams?.minDf ?? 1,
      maxDf: vectorParams?.maxDf ?? 1,
      ngramRange: vectorParams?.ngramRange ?? ngramRangeOf(vocabulary),
      sublinearTf: nodes.some((n) => n.output?.includes(LOG_COUNT)),
    },
    vocabulary,
    // the last row of idf and coef is the "no feature" row the graph adds
    idf: floats(initializer(tensors, "idf")).subarray(0, features),
  };
  const labels = (initializer(tensors, "label_names").stringData ?? []).map((s) => utf8.decode(s));
  const classifier: FittedClassifier = {
    labels,
    coef: floats(initializer(tensors, "coef")).subarray(0, features * labels.length),
    intercept: floats(initializer(tensors, "intercept")),
    C: Number(metadata.metrics["C"] ?? NaN),
  };
  return { vectorizer, classifier, metadata };
}
