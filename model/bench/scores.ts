/** Accuracy and macro-averaged F1 of predicted labels (the evaluation module reports the full set). */
export function accuracy(truth: readonly string[], predicted: readonly string[]): number {
  let correct = 0;
  truth.forEach((label, i) => (correct += label === predicted[i] ? 1 : 0));
  return correct / truth.length;
}

export function macroF1(truth: readonly string[], predicted: readonly string[]): number {
  const labels = [...new Set(truth)];
  const f1s = labels.map((label) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    truth.forEach((t, i) => {
      const p = predicted[i];
      if (p === label && t === label) tp++;
      else if (p === label) fp++;
      else if (t === label) fn++;
    });
    return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  });
  return f1s.reduce((sum, f1) => sum + f1, 0) / labels.length;
}
