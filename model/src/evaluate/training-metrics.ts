/** The content of metrics.json: everything a reviewer needs to judge a trained model. */
import type { ClassMetrics } from "./metrics.js";

export interface ParityResult {
  /** Documents answered by both the TypeScript pipeline and onnxruntime. */
  docs: number;
  /** Documents where both gave the same label. */
  label_agreement: number;
  max_abs_prob_diff: number;
}

export interface TrainingMetrics {
  accuracy: number;
  macro_f1: number;
  baseline: { strategy: "majority class"; label: string; accuracy: number; macro_f1: number };
  train_docs: number;
  test_docs: number;
  features: number;
  labels: string[];
  /** Name of the configuration; its parameters are in config_params. */
  config: string;
  config_params: unknown;
  /** Regularisation strength chosen by cross-validation. */
  C: number;
  /** Mean held-out accuracy over the folds for each C of the grid. */
  cross_validation: { C: number[]; mean_accuracy: number[] };
  model_sha256: string;
  model_bytes: number;
  data_source: string;
  data_sha256: string;
  trainer_version: string;
  per_class: ClassMetrics[];
  /** confusion_matrix[true][predicted] in the order of `labels`. */
  confusion_matrix: number[][];
  parity: ParityResult;
  /** Wall-clock seconds per stage. */
  timings: Record<string, number>;
}

/** The deterministic subset stored inside model.onnx (no timings, no hash of the model itself). */
export function headlineMetrics(
  metrics: Omit<TrainingMetrics, "model_sha256" | "model_bytes" | "parity" | "timings">,
) {
  return {
    accuracy: metrics.accuracy,
    macro_f1: metrics.macro_f1,
    baseline_accuracy: metrics.baseline.accuracy,
    baseline_macro_f1: metrics.baseline.macro_f1,
    train_docs: metrics.train_docs,
    test_docs: metrics.test_docs,
    features: metrics.features,
    C: metrics.C,
  };
}
