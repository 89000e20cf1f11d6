/** Compares onnxruntime's answers with the TypeScript pipeline's: labels and probabilities. */
import type { ParityResult } from "../evaluate/training-metrics.js";

export const PARITY_TOLERANCE = 1e-4;

export interface Answers {
  labels: readonly string[];
  probabilities: ArrayLike<number>;
}

export function compareAnswers(reference: Answers, candidate: Answers): ParityResult {
  if (reference.labels.length !== candidate.labels.length) {
    throw new Error(
      `parity: ${reference.labels.length} reference answers but ${candidate.labels.length} from ONNX`,
    );
  }
  if (reference.probabilities.length !== candidate.probabilities.length) {
    throw new Error("parity: the probability matrices differ in size");
  }
  let agreement = 0;
  reference.labels.forEach((label, i) => {
    if (label === candidate.labels[i]) agreement++;
  });
  let maxDiff = 0;
  for (let i = 0; i < reference.probabilities.length; i++) {
    const diff = Math.abs(reference.probabilities[i]! - candidate.probabilities[i]!);
    // NaN must fail the check, so it counts as an infinite difference
    maxDiff = Math.max(maxDiff, Number.isNaN(diff) ? Infinity : diff);
  }
  return { docs: reference.labels.length, label_agreement: agreement, max_abs_prob_diff: maxDiff };
}

export function parityHolds(result: ParityResult, tolerance = PARITY_TOLERANCE): boolean {
  return result.label_agreement === result.docs && result.max_abs_prob_diff <= tolerance;
}

export function describeParity(result: ParityResult): string {
  return (
    `ONNX parity: ${result.docs} docs compared, ${result.label_agreement} labels agree, ` +
    `max |Δprob| ${result.max_abs_prob_diff.toExponential(2)}`
  );
}
