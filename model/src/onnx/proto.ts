/** Small typed helpers over onnx-proto's generated messages: attributes, tensors, nodes, value infos. */
import onnxProto from "onnx-proto";

export const { onnx } = onnxProto;
export const ML_DOMAIN = "ai.onnx.ml";
export type GraphProto = onnxProto.onnx.IGraphProto;
export type ModelProto = onnxProto.onnx.IModelProto;
export type NodeProto = onnxProto.onnx.INodeProto;
export type TensorProto = onnxProto.onnx.ITensorProto;
const AttributeType = onnx.AttributeProto.AttributeType;
/** ONNX element types, for Cast's `to` and tensors' dataType. */
export const DataType = onnx.TensorProto.DataType;

export type AttributeValue = number | string | number[] | string[] | GraphProto;

const utf8 = new TextEncoder();

/** Builds an attribute typed by its JS value: integer → INT, other number → FLOAT, string(s), int lists, graph. */
export function attribute(name: string, value: AttributeValue): onnxProto.onnx.IAttributeProto {
  if (typeof value === "string") return { name, type: AttributeType.STRING, s: utf8.encode(value) };
  if (typeof value === "object" && !Array.isArray(value))
    return { name, type: AttributeType.GRAPH, g: value };
  if (typeof value === "number") {
    if (Number.isInteger(value)) return { name, type: AttributeType.INT, i: value };
    return { name, type: AttributeType.FLOAT, f: value };
  }
  if (value.every((v) => typeof v === "string")) {
    return { name, type: AttributeType.STRINGS, strings: value.map((v) => utf8.encode(v)) };
  }
  return { name, type: AttributeType.INTS, ints: value };
}

export function node(
  opType: string,
  inputs: string[],
  outputs: string[],
  attributes: Record<string, AttributeValue> = {},
  domain = "",
): onnxProto.onnx.INodeProto {
  return {
    opType,
    domain,
    name: outputs[0],
    input: inputs,
    output: outputs,
    attribute: Object.entries(attributes).map(([name, value]) => attribute(name, value)),
  };
}

export function floatTensor(
  name: string,
  dims: number[],
  values: ArrayLike<number>,
): onnxProto.onnx.ITensorProto {
  const data = Float32Array.from(values);
  const rawData = new Uint8Array(data.byteLength);
  const view = new DataView(rawData.buffer);
  data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return { name, dims, dataType: DataType.FLOAT, rawData };
}

export function int32Tensor(name: string, dims: number[], values: readonly number[]): TensorProto {
  const rawData = new Uint8Array(values.length * 4);
  const view = new DataView(rawData.buffer);
  values.forEach((v, i) => view.setInt32(i * 4, v, true));
  return { name, dims, dataType: DataType.INT32, rawData };
}

export function int64Tensor(name: string, dims: number[], values: readonly number[]): TensorProto {
  const rawData = new Uint8Array(values.length * 8);
  const view = new DataView(rawData.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  return { name, dims, dataType: DataType.INT64, rawData };
}

/** A uint64 scalar written bit for bit: onnxruntime's Cast from int64 may round it through a double. */
export function uint64Scalar(name: string, value: bigint): TensorProto {
  const rawData = new Uint8Array(8);
  new DataView(rawData.buffer).setBigUint64(0, value, true);
  return { name, dims: [], dataType: DataType.UINT64, rawData };
}

/** A float64 scalar (double arithmetic for sizes computed in the graph). */
export function doubleScalar(name: string, value: number): TensorProto {
  return { name, dims: [], dataType: DataType.DOUBLE, doubleData: [value] };
}

export function stringTensor(name: string, values: string[]): onnxProto.onnx.ITensorProto {
  return {
    name,
    dims: [values.length],
    dataType: DataType.STRING,
    stringData: values.map((v) => utf8.encode(v)),
  };
}

const DTYPES = {
  string: DataType.STRING,
  float32: DataType.FLOAT,
  int64: DataType.INT64,
  bool: DataType.BOOL,
} as const;

/** A graph input/output declaration; a string dimension is symbolic (dim_param). */
export function valueInfo(
  name: string,
  dtype: keyof typeof DTYPES,
  shape: readonly (string | number)[],
): onnxProto.onnx.IValueInfoProto {
  const dim = shape.map((d) => (typeof d === "string" ? { dimParam: d } : { dimValue: d }));
  return { name, type: { tensorType: { elemType: DTYPES[dtype], shape: { dim } } } };
}

/**
 * Multiplicative hashing: `name` = the top bits of uint64 `keys` × initializer `${name}_multiplier`
 * (mod 2^64), i.e. shifted right by initializer `${name}_shift`, cast to `to`.
 */
export function topBitsNodes(keys: string, name: string, to: number): NodeProto[] {
  return [
    node("Mul", [keys, `${name}_multiplier`], [`${name}_product`]),
    node("BitShift", [`${name}_product`, `${name}_shift`], [`${name}_u64`], { direction: "RIGHT" }),
    node("Cast", [`${name}_u64`], [name], { to }),
  ];
}

/** Every node of `nodes`, those of their subgraphs (a Loop's body) before the node that holds them. */
export function nodesWithSubgraphs(nodes: readonly NodeProto[]): NodeProto[] {
  return nodes.flatMap((n) => [
    ...(n.attribute ?? []).flatMap((a) => (a.g ? nodesWithSubgraphs(a.g.node ?? []) : [])),
    n,
  ]);
}
