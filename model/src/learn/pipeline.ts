import type { FittedClassifier, FittedVectorizer, LabelledDoc, TrainConfig } from "../types.js";
import { type FitOptions, type FittedClassifierWithCv, fitClassifier } from "./classifier.js";
import type { OnProgress } from "./progress.js";
import { addRowScores } from "./softmax-loss.js";
import { fitTransform, transform } from "./vectorizer.js";

export interface PipelineTimings {
  vectorizeSeconds: number;
  cvSeconds: number;
  refitSeconds: number;
  totalSeconds: number;
}

export interface FittedPipeline {
  vectorizer: FittedVectorizer;
  classifier: FittedClassifierWithCv;
  timings: PipelineTimings;
}

/** Sorted distinct labels (scikit-learn's classes_) and each doc's index into them. */
export function encodeLabels(docs: readonly LabelledDoc[]): { labels: string[]; y: Int32Array } {
  const labels = [...new Set(docs.map((doc) => doc.label))].sort();
  const indexOf = new Map(labels.map((label, i) => [label, i]));
  return { labels, y: Int32Array.from(docs, (doc) => indexOf.get(doc.label)!) };
}

/** Vectorizes `docs` and fits the cross-validated classifier on them. */
export async function fitPipeline(
  docs: readonly LabelledDoc[],
  config: TrainConfig,
  onProgress?: OnProgress,
  options?: FitOptions,
): Promise<FittedPipeline> {
  const start = performance.now();
  const { labels, y } = encodeLabels(docs);
  const { vectorizer, matrix } = fitTransform(
    docs.map((doc) => doc.text),
    config.vectorizer,
    onProgress,
    y,
  );
  const vectorizeSeconds = (performance.now() - start) / 1000;
  const classifier = await fitClassifier(matrix, y, labels, config.classifier, onProgress, options);
  return {
    vectorizer,
    classifier,
    timings: {
      vectorizeSeconds,
      cvSeconds: classifier.crossValidation.cvSeconds,
      refitSeconds: classifier.crossValidation.refitSeconds,
      totalSeconds: (performance.now() - start) / 1000,
    },
  };
}

export interface Prediction {
  /** Predicted label per text. */
  labels: string[];
  /** Class probabilities, row-major [texts × classes], columns in `classifier.labels` order. */
  probabilities: Float64Array;
}

/** The TypeScript pipeline's prediction, in float64 (the reference the ONNX graph must match). */
export function predictProba(
  vectorizer: FittedVectorizer,
  classifier: FittedClassifier,
  texts: readonly string[],
): Prediction {
  const X = transform(vectorizer, texts);
  const classes = classifier.labels.length;
  const probabilities = new Float64Array(X.rows * classes);
  const labels: string[] = [];
  for (let row = 0; row < X.rows; row++) {
    const scores = probabilities.subarray(row * classes, (row + 1) * classes);
    scores.set(classifier.intercept);
    addRowScores(X, row, classes, classifier.coef, scores);
    let best = 0;
    for (let c = 1; c < classes; c++) if (scores[c]! > scores[best]!) best = c;
    const max = scores[best]!;
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      scores[c] = Math.exp(scores[c]! - max);
      sum += scores[c]!;
    }
    for (let c = 0; c < classes; c++) scores[c] = scores[c]! / sum;
    labels.push(classifier.labels[best]!);
  }
  return { labels, probabilities };
}
