/**
 * The model, loaded once per cold start: its bytes are checked against the SHA-256 recorded at build
 * time, its metadata read through the shared contract, and one onnxruntime session created from the
 * same bytes (so what was hashed is what runs).
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import * as ort from "onnxruntime-node";
import { ONNX_INPUT, ONNX_OUTPUTS, readModelMetadata, type ModelMetadata } from "@textcat/contract";

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

export interface ModelSource {
  path: string;
  /** Hex SHA-256 recorded at build time; `undefined` only when explicitly allowed (local runs). */
  expectedSha256: string | undefined;
  intraOpThreads: number;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

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

async function readModelBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new ModelLoadError(`cannot read the model at ${path}: ${(error as Error).message}`);
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

export async function loadModel(source: ModelSource): Promise<LoadedModel> {
  const bytes = await readModelBytes(source.path);
  const sha256 = sha256Hex(bytes);
  verifySha256(sha256, source.expectedSha256, source.path);
  let metadata: ModelMetadata;
  try {
    metadata = readModelMetadata(bytes);
  } catch (error) {
    throw new ModelLoadError(`cannot read the metadata of ${source.path}: ${(error as Error).message}`);
  }
  const session = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: source.intraOpThreads,
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: "all",
  }).catch((error: unknown) => {
    throw new ModelLoadError(`onnxruntime cannot load ${source.path}: ${(error as Error).message}`);
  });
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
