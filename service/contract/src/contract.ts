/**
 * The serving contract of `model.onnx`: the one description of the graph's inputs, outputs and
 * metadata that both the trainer (which writes it) and the service (which reads it) import.
 */
export const ONNX_INPUT = { name: "text", dtype: "string", shape: ["N"] } as const;

export const ONNX_OUTPUTS = {
  label: { name: "label", dtype: "string", shape: ["N"] },
  probabilities: { name: "probabilities", dtype: "float32", shape: ["N", "C"] },
} as const;

/** Keys of the ONNX `metadata_props`; every value is a string, JSON where noted. */
export const METADATA_KEYS = {
  /** JSON array of label names; column j of `probabilities` is `labels[j]`. */
  labels: "textcat.labels",
  /** JSON of the training configuration. */
  config: "textcat.config",
  /** JSON of the headline metrics (accuracy, macro_f1, baseline accuracy, …). */
  metrics: "textcat.metrics",
  /** SHA-256 (hex) of the training data as read by the trainer. */
  trainingDataSha256: "textcat.training_data_sha256",
  trainerVersion: "textcat.trainer_version",
  /** Name of the configuration (`seed`, `default`, …). */
  configName: "textcat.config_name",
} as const;

/** The file names the trainer writes into its output directory and the service loads. */
export const ARTIFACT_FILES = {
  model: "model.onnx",
  metrics: "metrics.json",
  report: "report.md",
  confusionMatrix: "confusion-matrix.svg",
  /** What the data check found in the training data (model/src/data/data-check.ts). */
  dataSummary: "data-summary.json",
} as const;

export interface ModelMetadata {
  labels: string[];
  configName: string;
  config: Record<string, unknown>;
  metrics: Record<string, unknown>;
  trainingDataSha256: string;
  trainerVersion: string;
}

export class ModelContractError extends Error {
  override name = "ModelContractError";
}

/** ModelProto field 14: `repeated StringStringEntryProto metadata_props`. */
const MODEL_PROTO_METADATA_FIELD = 14;

/**
 * Calls `visit` with the number and the bytes of each length-delimited field of one protobuf message;
 * other fields are skipped by their wire type ("Message Structure",
 * https://protobuf.dev/programming-guides/encoding/#structure). Hand-written rather than protobufjs's
 * Reader: loading protobufjs probes for optional modules with require(), which cost the service's cold
 * start about 10 ms (`npm run bench:service`), and metadata is all the service reads here.
 */
function forEachLengthDelimitedField(
  message: Uint8Array,
  visit: (field: number, bytes: Uint8Array) => void,
): void {
  let pos = 0;
  const advance = (count: number) => {
    if (pos + count > message.length) {
      throw new RangeError(`index out of range: ${pos} + ${count} > ${message.length}`);
    }
    pos += count;
  };
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      advance(1);
      const byte = message[pos - 1]!;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
    throw new RangeError(`invalid varint encoding at offset ${pos}`);
  };
  while (pos < message.length) {
    const tag = varint();
    const wireType = tag % 8;
    if (wireType === 0) varint();
    else if (wireType === 1) advance(8);
    else if (wireType === 5) advance(4);
    else if (wireType === 2) {
      const length = varint();
      const start = pos;
      advance(length);
      visit(Math.floor(tag / 8), message.subarray(start, pos));
    } else throw new RangeError(`invalid wire type ${wireType} at offset ${pos}`);
  }
}

/**
 * Reads `metadata_props` from an ONNX file without decoding the (large) graph: only the
 * top-level fields of ModelProto are walked; every other field is skipped by length.
 */
export function readMetadataProps(onnxBytes: Uint8Array): Record<string, string> {
  const decoder = new TextDecoder();
  const props: Record<string, string> = {};
  try {
    forEachLengthDelimitedField(onnxBytes, (field, entry) => {
      if (field !== MODEL_PROTO_METADATA_FIELD) return;
      let key = "";
      let value = "";
      forEachLengthDelimitedField(entry, (entryField, text) => {
        if (entryField === 1) key = decoder.decode(text);
        else if (entryField === 2) value = decoder.decode(text);
      });
      props[key] = value;
    });
  } catch (error) {
    throw new ModelContractError(`not a readable ONNX model: ${(error as Error).message}`, { cause: error });
  }
  return props;
}

function parseJson(props: Record<string, string>, key: string): unknown {
  const raw = props[key];
  if (raw === undefined) throw new ModelContractError(`model metadata is missing "${key}"`);
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new ModelContractError(`model metadata "${key}" is not valid JSON`, { cause: error });
  }
}

/** Parses and validates the metadata the trainer wrote; throws ModelContractError when it is off. */
export function parseModelMetadata(props: Record<string, string>): ModelMetadata {
  const labels = parseJson(props, METADATA_KEYS.labels);
  if (!Array.isArray(labels) || labels.length < 2 || !labels.every((l) => typeof l === "string")) {
    throw new ModelContractError(`model metadata "${METADATA_KEYS.labels}" must be an array of 2+ strings`);
  }
  if (new Set(labels).size !== labels.length) {
    throw new ModelContractError(`model metadata "${METADATA_KEYS.labels}" has duplicate labels`);
  }
  const config = parseJson(props, METADATA_KEYS.config);
  const metrics = parseJson(props, METADATA_KEYS.metrics);
  return {
    labels: labels,
    configName: props[METADATA_KEYS.configName] ?? "",
    config: (config ?? {}) as Record<string, unknown>,
    metrics: (metrics ?? {}) as Record<string, unknown>,
    trainingDataSha256: props[METADATA_KEYS.trainingDataSha256] ?? "",
    trainerVersion: props[METADATA_KEYS.trainerVersion] ?? "",
  };
}

export function readModelMetadata(onnxBytes: Uint8Array): ModelMetadata {
  return parseModelMetadata(readMetadataProps(onnxBytes));
}

/** The file identifier of onnxruntime's ORT format (a FlatBuffer), at bytes 4–7. */
const ORT_FILE_IDENTIFIER = "ORTM";

export function isOrtFormat(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && String.fromCharCode(...bytes.subarray(4, 8)) === ORT_FILE_IDENTIFIER;
}

/**
 * Reads `metadata_props` from an ORT-format model (what onnxruntime writes when it saves an optimized
 * ONNX model as .ort; the ONNX metadata is kept). Walks only the FlatBuffer path root InferenceSession
 * → field 1 `model` → Model field 9 `metadata_props` → StringStringEntry { key, value }, as laid out by
 * onnxruntime/core/flatbuffers/schema/ort.fbs.
 */
export function readOrtMetadataProps(ortBytes: Uint8Array): Record<string, string> {
  if (!isOrtFormat(ortBytes)) throw new ModelContractError('not an ORT-format model (no "ORTM" identifier)');
  const view = new DataView(ortBytes.buffer, ortBytes.byteOffset, ortBytes.byteLength);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  /** Where field `index` of the table at `table` points to, or undefined when it is absent. */
  const field = (table: number, index: number): number | undefined => {
    const vtable = table - view.getInt32(table, true);
    if (4 + 2 * index >= view.getUint16(vtable, true)) return undefined;
    const offset = view.getUint16(vtable + 4 + 2 * index, true);
    return offset === 0 ? undefined : table + offset + view.getUint32(table + offset, true);
  };
  const string = (at: number | undefined) =>
    at === undefined ? "" : decoder.decode(ortBytes.subarray(at + 4, at + 4 + view.getUint32(at, true)));
  const props: Record<string, string> = {};
  try {
    const model = field(view.getUint32(0, true), 1);
    const entries = model === undefined ? undefined : field(model, 9);
    if (entries === undefined) return props;
    for (let i = 0; i < view.getUint32(entries, true); i++) {
      const slot = entries + 4 + 4 * i;
      const entry = slot + view.getUint32(slot, true);
      props[string(field(entry, 0))] = string(field(entry, 1));
    }
  } catch (error) {
    throw new ModelContractError(`not a readable ORT-format model: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return props;
}

/** The metadata of a model in either format the service loads: ONNX, or ORT converted from it. */
export function readServedModelMetadata(bytes: Uint8Array): ModelMetadata {
  return parseModelMetadata(isOrtFormat(bytes) ? readOrtMetadataProps(bytes) : readMetadataProps(bytes));
}
