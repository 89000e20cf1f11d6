import type { GoldenExample } from "@textcat/contract";

/** What one run of the model returned, as plain data (decoupled from onnxruntime's types). */
export interface ModelAnswer {
  labelType: string;
  labelDims: readonly number[];
  labels: readonly string[];
  probabilitiesType: string;
  probabilitiesDims: readonly number[];
  probabilities: ArrayLike<number>;
}

const PROBABILITY_SUM_TOLERANCE = 1e-3;
const MAX_LISTED = 5;

/**
 * Checks a model's answer to the golden texts against the serving contract (types, shapes,
 * probabilities that sum to 1 and agree with the label) and against the expected labels.
 * Returns one line per problem; empty means the model is fit to serve.
 */
export function verifyAnswers(
  modelLabels: readonly string[],
  golden: readonly GoldenExample[],
  answer: ModelAnswer,
): string[] {
  const n = golden.length;
  const c = modelLabels.length;
  const problems: string[] = [];
  if (answer.labelType !== "string" || !sameDims(answer.labelDims, [n])) {
    problems.push(
      `output "label" must be string [${n}], got ${answer.labelType} [${answer.labelDims.join(", ")}]`,
    );
  }
  if (answer.probabilitiesType !== "float32" || !sameDims(answer.probabilitiesDims, [n, c])) {
    problems.push(
      `output "probabilities" must be float32 [${n}, ${c}], got ${answer.probabilitiesType} [${answer.probabilitiesDims.join(", ")}]`,
    );
  }
  if (problems.length > 0) return problems;

  const unknown = [...new Set(golden.map((g) => g.label).filter((label) => !modelLabels.includes(label)))];
  if (unknown.length > 0) problems.push(`golden labels the model does not know: ${unknown.join(", ")}`);

  const wrong: string[] = [];
  golden.forEach((example, i) => {
    const row = Array.from({ length: c }, (_, j) => answer.probabilities[i * c + j] ?? NaN);
    const sum = row.reduce((a, b) => a + b, 0);
    if (!(Math.abs(sum - 1) <= PROBABILITY_SUM_TOLERANCE))
      problems.push(`probabilities of example ${i} sum to ${sum}`);
    const argmax = modelLabels[row.indexOf(Math.max(...row))];
    if (argmax !== answer.labels[i]) {
      problems.push(`example ${i}: label "${answer.labels[i]}" is not the most probable class "${argmax}"`);
    }
    if (answer.labels[i] !== example.label) {
      wrong.push(`"${shorten(example.text)}" → ${answer.labels[i]} (expected ${example.label})`);
    }
  });
  if (wrong.length > 0) {
    const listed = wrong.slice(0, MAX_LISTED).join("; ");
    const more = wrong.length > MAX_LISTED ? `; and ${wrong.length - MAX_LISTED} more` : "";
    problems.push(`${wrong.length} of ${n} golden examples answered wrong: ${listed}${more}`);
  }
  return problems;
}

function sameDims(actual: readonly number[], expected: readonly number[]): boolean {
  return actual.length === expected.length && actual.every((d, i) => d === expected[i]);
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length <= 40 ? oneLine : `${oneLine.slice(0, 39)}…`;
}
