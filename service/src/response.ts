/** Shapes what the service answers: top-k scores, single and batch results, health. */
import type { Classification, LoadedModel, ModelIdentity } from "./model.js";

export interface Score {
  label: string;
  score: number;
}

export interface PredictionResult {
  label: string;
  scores: Score[];
}

export interface SingleResponse extends PredictionResult {
  /** The predicted label, under the name the seed's clients read. */
  response: string;
  /** The request body, echoed as the seed did. */
  request: Record<string, unknown>;
  model: ModelIdentity;
}

export interface BatchResponse {
  results: PredictionResult[];
  model: ModelIdentity;
}

const roundScore = (value: number): number => Math.round(value * 1e6) / 1e6;

/**
 * The k most probable labels, most probable first; ties keep the model's label order. Each label is
 * inserted into the k best so far (k is small): sorting all labels of every text of a batch cost more.
 */
export function topScores(probabilities: Float32Array, labels: readonly string[], k: number): Score[] {
  const count = Math.min(k, labels.length);
  const best: number[] = [];
  for (let index = 0; index < probabilities.length; index += 1) {
    const probability = probabilities[index] as number;
    let at = best.length;
    // Strictly greater: an equal probability stays behind the label before it.
    while (at > 0 && probability > (probabilities[best[at - 1] as number] as number)) at -= 1;
    if (at < count) {
      best.splice(at, 0, index);
      if (best.length > count) best.pop();
    }
  }
  return best.map((index) => ({
    label: labels[index] ?? "",
    score: roundScore(probabilities[index] as number),
  }));
}

export function predictionResult(classification: Classification, labels: readonly string[], k: number) {
  return { label: classification.label, scores: topScores(classification.probabilities, labels, k) };
}

export function singleResponse(
  result: PredictionResult,
  request: Record<string, unknown>,
  model: ModelIdentity,
): SingleResponse {
  return { response: result.label, request, label: result.label, scores: result.scores, model };
}

export function healthResponse(model: LoadedModel) {
  return {
    status: "ok",
    model: { ...model.identity, labels: model.labels, metrics: model.metadata.metrics },
  };
}
