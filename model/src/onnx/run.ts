/** Runs an exported model in onnxruntime-node: what the service does, used by the CLI's parity check. */
import * as ort from "onnxruntime-node";
import { checkSession, ONNX_INPUT, ONNX_OUTPUTS } from "@textcat/contract";

export interface OnnxPrediction {
  labels: string[];
  /** Row-major [N × C] in the label order of the model metadata. */
  probabilities: Float32Array;
}

/** A session of the model, checked against the contract's input and outputs (a ModelContractError if not). */
export async function loadOnnxModel(modelBytes: Uint8Array): Promise<ort.InferenceSession> {
  const session = await ort.InferenceSession.create(modelBytes);
  try {
    checkSession(session);
  } catch (error) {
    await session.release();
    throw error;
  }
  return session;
}

export async function predictWithOnnx(
  session: ort.InferenceSession,
  texts: string[],
): Promise<OnnxPrediction> {
  const input = new ort.Tensor("string", texts, [texts.length]);
  const outputs = await session.run({ [ONNX_INPUT.name]: input });
  const label = outputs[ONNX_OUTPUTS.label.name];
  const probabilities = outputs[ONNX_OUTPUTS.probabilities.name];
  if (!label || !probabilities) throw new Error("the model did not return the contract's outputs");
  return { labels: label.data as string[], probabilities: probabilities.data as Float32Array };
}

/**
 * Predicts in batches: the Tokenizer pads every row to the longest text of its batch, so one huge
 * batch of long documents would need N × longest strings of memory.
 */
export async function predictInBatches(
  session: ort.InferenceSession,
  texts: readonly string[],
  batchSize = 64,
): Promise<OnnxPrediction> {
  const labels: string[] = [];
  const parts: Float32Array[] = [];
  for (let start = 0; start < texts.length; start += batchSize) {
    const batch = await predictWithOnnx(session, texts.slice(start, start + batchSize));
    labels.push(...batch.labels);
    parts.push(batch.probabilities);
  }
  const probabilities = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    probabilities.set(part, offset);
    offset += part.length;
  }
  return { labels, probabilities };
}
