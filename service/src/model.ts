/**
 * The model, loaded once per cold start: its bytes are checked against the SHA-256 recorded at build
 * time, its metadata read through the shared contract, and one onnxruntime session created from the
 * same bytes (so what was hashed is what runs). In the image that file is the model converted to ORT
 * format at build time; onnxruntime then runs it from those bytes in place.
 */
import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import * as ort from "onnxruntime-node";
import {
  isOrtFormat,
  ONNX_INPUT,
  ONNX_OUTPUTS,
  readServedModelMetadata,
  type ModelMetadata,
} from "../../model/src/contract.js";

export class ModelLoadError extends Error {
  override name = "ModelLoadError";
}

export interface ModelIdentity {
  sha256: string;
  configName: string;
  trainerVersion: string;
  trainingDataSha256: string;
}

export interface Classification {
  label: string;
  /** Probabilities in the order of `labels`. */
  probabilities: Float32Array;
}

export interface LoadedModel {
  identity: ModelIdentity;
  metadata: ModelMetadata;
  labels: readonly string[];
  /** One session run for all texts. */
  classify(texts: string[]): Promise<Classification[]>;
}

/** What the build recorded for a model converted to ORT format (service/build/convert-to-ort.mjs). */
export interface ConvertedModel {
  /** Hex SHA-256 of the .ort file itself. */
  sha256: string;
  /** Hex SHA-256 of the ONNX model it was converted from: the model's identity. */
  convertedFromSha256: string;
}

export interface ModelSource {
  /** The file onnxruntime loads: the ONNX model, or its ORT-format conversion (then `converted`). */
  path: string;
  /** Hex SHA-256 of the ONNX model, recorded at build time; `undefined` only when explicitly allowed (local runs). */
  expectedSha256: string | undefined;
  intraOpThreads: number;
  converted?: ConvertedModel;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function verifySha256(actual: string, expected: string | undefined, path: string): void {
  if (expected === undefined) return;
  const normalized = expected.trim().toLowerCase();
  if (!SHA256_HEX.test(normalized)) {
    throw new ModelLoadError(`the recorded SHA-256 for ${path} is not a 64-digit hex digest: "${expected}"`);
  }
  if (normalized !== actual) {
    throw new ModelLoadError(
      `model integrity check failed: ${path} has SHA-256 ${actual} but the build recorded ${normalized}; ` +
        "refusing to serve a model that differs from the one built into this image",
    );
  }
}

/** Bytes per read: a chunk that stays in the CPU cache between being read, hashed and copied. */
const READ_CHUNK_BYTES = 64 * 1024;

interface ReadModel {
  bytes: Uint8Array;
  /** Hex SHA-256 of exactly `bytes`. */
  sha256: string;
}

/**
 * Reads and hashes the model in one pass, with blocking reads (nothing else runs during the init). Each
 * chunk is read into one small reused buffer, hashed there and copied into the model's buffer, so the
 * hash covers exactly the bytes onnxruntime is given. Reading the whole file into a fresh buffer and
 * hashing it afterwards walks 10 MB of newly mapped memory twice, which `npm run bench:service`'s cold
 * init showed to be the slower order (the kernel's copy into fresh pages, then every page again).
 */
function readAndHashModel(path: string): ReadModel {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const size = fstatSync(fd).size;
    const bytes = Buffer.allocUnsafeSlow(size);
    const chunk = Buffer.allocUnsafeSlow(READ_CHUNK_BYTES);
    const hash = createHash("sha256");
    let length = 0;
    while (length < size) {
      const read = readSync(fd, chunk, 0, Math.min(READ_CHUNK_BYTES, size - length), length);
      if (read === 0) break;
      const part = chunk.subarray(0, read);
      hash.update(part);
      bytes.set(part, length);
      length += read;
    }
    return { bytes: bytes.subarray(0, length), sha256: hash.digest("hex") };
  } catch (error) {
    throw new ModelLoadError(`cannot read the model at ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function checkSessionContract(session: ort.InferenceSession): void {
  const outputs: string[] = [ONNX_OUTPUTS.label.name, ONNX_OUTPUTS.probabilities.name];
  const missing: string[] = [ONNX_INPUT.name].filter((name) => !session.inputNames.includes(name));
  missing.push(...outputs.filter((name) => !session.outputNames.includes(name)));
  if (missing.length > 0) {
    throw new ModelLoadError(
      `the model does not follow the ONNX contract: missing ${missing.join(", ")} ` +
        `(inputs: ${session.inputNames.join(", ")}; outputs: ${session.outputNames.join(", ")})`,
    );
  }
}

/** Checks the bytes' digest and returns the identity of the model they are: the ONNX model's SHA-256. */
function verifiedIdentity(actual: string, source: ModelSource): string {
  if (source.converted === undefined) {
    verifySha256(actual, source.expectedSha256, source.path);
    return actual;
  }
  const { sha256, convertedFromSha256 } = source.converted;
  if (
    source.expectedSha256 !== undefined &&
    source.expectedSha256.trim().toLowerCase() !== convertedFromSha256
  ) {
    throw new ModelLoadError(
      `model integrity check failed: ${source.path} was converted from a model with SHA-256 ` +
        `${convertedFromSha256} but the build recorded ${source.expectedSha256}; refusing to serve it`,
    );
  }
  verifySha256(actual, sha256, source.path);
  return convertedFromSha256;
}

/**
 * An ORT-format model runs from the bytes it was read into, initializers included, instead of copying
 * them first. onnxruntime_session_options_config_keys.h: "If set, the flatbuffer bytes provided when
 * creating the InferenceSession MUST remain valid for the entire duration of the InferenceSession."
 * (https://github.com/microsoft/onnxruntime/blob/main/include/onnxruntime/core/session/onnxruntime_session_options_config_keys.h,
 * https://onnxruntime.ai/docs/tutorials/mobile/model-execution.html), hence `sessionBytes`.
 */
const IN_PLACE_ORT_MODEL = {
  session: { use_ort_model_bytes_directly: "1", use_ort_model_bytes_for_initializers: "1" },
};
/**
 * An ORT-format model was optimized when it was converted (service/build/convert-to-ort.mjs saves it
 * at "extended"), so optimizing it again at every cold start only costs time. "ORT Format Model Runtime
 * Optimization": "The basic optimizations can and generally should be baked in to the converted ORT
 * format model at conversion time [...] any runtime optimization support for ORT format models will not
 * include basic optimizations at all."
 * (https://onnxruntime.ai/docs/performance/model-optimizations/ort-format-model-runtime-optimization.html)
 */
const CONVERTED_MODEL_OPTIMIZATION = "disabled";
/** Keeps each session's model bytes alive for as long as the session. */
const sessionBytes = new WeakMap<ort.InferenceSession, Uint8Array>();

export async function loadModel(source: ModelSource): Promise<LoadedModel> {
  const read = readAndHashModel(source.path);
  const bytes = read.bytes;
  const sha256 = verifiedIdentity(read.sha256, source);
  let metadata: ModelMetadata;
  try {
    metadata = readServedModelMetadata(bytes);
  } catch (error) {
    throw new ModelLoadError(`cannot read the metadata of ${source.path}: ${(error as Error).message}`);
  }
  const ortFormat = isOrtFormat(bytes);
  const session = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: source.intraOpThreads,
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: ortFormat ? CONVERTED_MODEL_OPTIMIZATION : "all",
    ...(ortFormat ? { extra: IN_PLACE_ORT_MODEL } : {}),
  }).catch((error: unknown) => {
    throw new ModelLoadError(`onnxruntime cannot load ${source.path}: ${(error as Error).message}`);
  });
  sessionBytes.set(session, bytes);
  checkSessionContract(session);
  const labels = metadata.labels;
  return {
    identity: {
      sha256,
      configName: metadata.configName,
      trainerVersion: metadata.trainerVersion,
      trainingDataSha256: metadata.trainingDataSha256,
    },
    metadata,
    labels,
    classify: (texts) => classify(session, labels, texts),
  };
}

async function classify(
  session: ort.InferenceSession,
  labels: readonly string[],
  texts: string[],
): Promise<Classification[]> {
  const input = new ort.Tensor("string", texts, [texts.length]);
  const outputs = await session.run({ [ONNX_INPUT.name]: input });
  const labelTensor = outputs[ONNX_OUTPUTS.label.name];
  const probabilityTensor = outputs[ONNX_OUTPUTS.probabilities.name];
  const columns = labels.length;
  if (labelTensor === undefined || probabilityTensor === undefined || probabilityTensor.dims[1] !== columns) {
    throw new Error(`model output does not match its metadata (${columns} labels)`);
  }
  const labelData = labelTensor.data as string[];
  const probabilities = probabilityTensor.data as Float32Array;
  return texts.map((_, row) => ({
    label: labelData[row] ?? "",
    probabilities: probabilities.subarray(row * columns, (row + 1) * columns),
  }));
}
