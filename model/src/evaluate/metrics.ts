/** Classification metrics as scikit-learn computes them (zero_division = 0, macro = unweighted mean). */

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Number of true documents of this label. */
  support: number;
}

export interface Evaluation {
  accuracy: number;
  macroF1: number;
  perClass: ClassMetrics[];
  /** confusionMatrix[t][p]: documents of true label t predicted as p, in the order of `labels`. */
  confusionMatrix: number[][];
}

export class EvaluationError extends Error {
  override name = "EvaluationError";
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

export function confusionMatrix(
  trueLabels: readonly string[],
  predicted: readonly string[],
  labels: readonly string[],
) {
  if (trueLabels.length !== predicted.length) {
    throw new EvaluationError(`${trueLabels.length} true labels but ${predicted.length} predictions`);
  }
  const indexOf = new Map(labels.map((label, i) => [label, i]));
  const matrix = labels.map(() => new Array<number>(labels.length).fill(0));
  trueLabels.forEach((label, i) => {
    const t = indexOf.get(label);
    const p = indexOf.get(predicted[i]!);
    if (t === undefined || p === undefined) {
      throw new EvaluationError(
        `label "${t === undefined ? label : predicted[i]}" is not one of the model's labels`,
      );
    }
    matrix[t]![p]! += 1;
  });
  return matrix;
}

export function evaluate(
  trueLabels: readonly string[],
  predicted: readonly string[],
  labels: readonly string[],
): Evaluation {
  const matrix = confusionMatrix(trueLabels, predicted, labels);
  const perClass = labels.map((label, c) => {
    const truePositives = matrix[c]![c]!;
    const support = matrix[c]!.reduce((a, b) => a + b, 0);
    const predictedCount = matrix.reduce((sum, row) => sum + row[c]!, 0);
    const precision = ratio(truePositives, predictedCount);
    const recall = ratio(truePositives, support);
    return { label, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  const correct = labels.reduce((sum, _, c) => sum + matrix[c]![c]!, 0);
  return {
    accuracy: ratio(correct, trueLabels.length),
    macroF1: ratio(
      perClass.reduce((sum, m) => sum + m.f1, 0),
      perClass.length,
    ),
    perClass,
    confusionMatrix: matrix,
  };
}

/** The most frequent training label; ties go to the label that comes first in `labels`. */
export function majorityLabel(trainLabels: readonly string[], labels: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const label of trainLabels) counts.set(label, (counts.get(label) ?? 0) + 1);
  let best = labels[0];
  for (const label of labels) if ((counts.get(label) ?? 0) > (counts.get(best!) ?? 0)) best = label;
  if (best === undefined) throw new EvaluationError("no labels to choose a majority class from");
  return best;
}

/** What always answering the majority training label scores on the test set. */
export function majorityBaseline(
  trainLabels: readonly string[],
  testLabels: readonly string[],
  labels: readonly string[],
) {
  const label = majorityLabel(trainLabels, labels);
  const evaluation = evaluate(
    testLabels,
    testLabels.map(() => label),
    labels,
  );
  return { label, accuracy: evaluation.accuracy, macroF1: evaluation.macroF1 };
}
