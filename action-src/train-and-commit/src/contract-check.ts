/**
 * Loads the freshly trained model.onnx exactly as the service will (onnxruntime-node) and checks it
 * against the serving contract (@textcat/contract) and the golden examples.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  ARTIFACT_FILES,
  checkSession,
  ONNX_INPUT,
  ONNX_OUTPUTS,
  readModelMetadata,
  type GoldenExample,
} from "@textcat/contract";
import { ActionError } from "@textcat/action-shared/errors";
import { errorMessage } from "@textcat/kit/errors";
import { verifyAnswers } from "./predictions.js";

export interface ContractReport {
  labels: string[];
  modelBytes: number;
  modelSha256: string;
  goldenChecked: number;
}

/** Used when no golden file is given: the contract's types and shapes are still checked. */
const PROBE: GoldenExample[] = [{ text: "a probe sentence", label: "" }];

export async function checkArtifacts(
  artifactsDir: string,
  golden: readonly GoldenExample[],
): Promise<ContractReport> {
  const modelPath = join(artifactsDir, ARTIFACT_FILES.model);
  const bytes = await readFile(modelPath).catch(() => {
    throw new ActionError(`the training command wrote no ${modelPath}`);
  });
  let labels: string[];
  try {
    labels = readModelMetadata(bytes).labels;
  } catch (error) {
    throw new ActionError(`${modelPath}: ${errorMessage(error)}`);
  }
  const ort = await import("onnxruntime-node").catch(() => {
    throw new ActionError("onnxruntime-node is not installed: run `npm ci` before this action");
  });
  const session = await ort.InferenceSession.create(bytes).catch((error: unknown) => {
    throw new ActionError(`${modelPath} does not load in onnxruntime: ${errorMessage(error)}`);
  });
  try {
    try {
      checkSession(session);
    } catch (error) {
      throw new ActionError(`${modelPath}: ${errorMessage(error)}`, { cause: error });
    }
    const examples = golden.length > 0 ? golden : PROBE;
    const texts = examples.map((example) => example.text);
    const outputs = await session
      .run({ [ONNX_INPUT.name]: new ort.Tensor("string", texts, [texts.length]) })
      .catch((error: unknown) => {
        throw new ActionError(`${modelPath} fails on the golden texts: ${errorMessage(error)}`);
      });
    const label = outputs[ONNX_OUTPUTS.label.name]!;
    const probabilities = outputs[ONNX_OUTPUTS.probabilities.name]!;
    const answer = {
      labelType: label.type,
      labelDims: label.dims,
      labels: label.data as string[],
      probabilitiesType: probabilities.type,
      probabilitiesDims: probabilities.dims,
      probabilities: probabilities.data as Float32Array,
    };
    const goldenForCheck =
      golden.length > 0 ? golden : PROBE.map((p, i) => ({ ...p, label: answer.labels[i] ?? "" }));
    const problems = verifyAnswers(labels, goldenForCheck, answer);
    if (problems.length > 0)
      throw new ActionError(`${modelPath} fails the serving check: ${problems.join("; ")}`);
  } finally {
    await session.release();
  }
  return {
    labels,
    modelBytes: bytes.length,
    modelSha256: createHash("sha256").update(bytes).digest("hex"),
    goldenChecked: golden.length,
  };
}
