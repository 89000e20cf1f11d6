/**
 * Reads a vectorizer and classifier back out of a model written by exportOnnx (weights as stored, i.e.
 * float32), so a committed model.onnx can be checked against the TypeScript pipeline without retraining.
 */
import onnxProto from "onnx-proto";
import { readModelMetadata, type ModelMetadata } from "../contract.js";
import { NGRAM_SEPARATOR, type FittedClassifier, type FittedVectorizer } from "../types.js";
import { onnx } from "./proto.js";

type Node = onnxProto.onnx.INodeProto;
type Tensor = onnxProto.onnx.ITensorProto;

export class OnnxImportError extends Error {
  override name = "OnnxImportError";
}

const utf8 = new TextDecoder();

function findNode(nodes: Node[], opType: string): Node {
  const found = nodes.find((n) => n.opType === opType);
  if (!found) throw new OnnxImportError(`the graph has no ${opType} node: not a model written by exportOnnx`);
  return found;
}

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

/** Inverse of buildNgramPool: feature index → n-gram. */
function vocabularyOf(tfidf: Node): { vocabulary: string[]; ngramRange: [number, number] } {
  const pool = (attribute(tfidf, "pool_strings").strings ?? []).map((s) => utf8.decode(s));
  const starts = (attribute(tfidf, "ngram_counts").ints ?? []).map(Number);
  const columns = (attribute(tfidf, "ngram_indexes").ints ?? []).map(Number);
  const vocabulary = new Array<string>(columns.length);
  let ngram = 0;
  starts.forEach((start, i) => {
    const length = i + 1;
    const end = starts[i + 1] ?? pool.length;
    for (let at = start; at < end; at += length) {
      vocabulary[columns[ngram++]!] = pool.slice(at, at + length).join(NGRAM_SEPARATOR);
    }
  });
  const ngramRange: [number, number] = [
    Number(attribute(tfidf, "min_gram_length").i),
    Number(attribute(tfidf, "max_gram_length").i),
  ];
  return { vocabulary, ngramRange };
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
  const { vocabulary, ngramRange } = vocabularyOf(findNode(nodes, "TfIdfVectorizer"));
  const vectorParams = metadata.config["vectorizer"] as Partial<FittedVectorizer["params"]> | undefined;
  const vectorizer: FittedVectorizer = {
    params: {
      minDf: vectorParams?.minDf ?? 1,
      maxDf: vectorParams?.maxDf ?? 1,
      ngramRange,
      sublinearTf: nodes.some((n) => n.opType === "Log"),
    },
    vocabulary,
    idf: floats(initializer(tensors, "idf")),
  };
  const labels = (initializer(tensors, "label_names").stringData ?? []).map((s) => utf8.decode(s));
  const classifier: FittedClassifier = {
    labels,
    coef: floats(initializer(tensors, "coef")),
    intercept: floats(initializer(tensors, "intercept")),
    C: Number(metadata.metrics["C"] ?? NaN),
  };
  return { vectorizer, classifier, metadata };
}
