import { describe, expect, it } from "vitest";
import { renderReport } from "../../src/evaluate/report.js";
import type { TrainingMetrics } from "../../src/evaluate/training-metrics.js";

const METRICS: TrainingMetrics = {
  accuracy: 0.875,
  macro_f1: 0.8667,
  baseline: { strategy: "majority class", label: "b", accuracy: 0.5, macro_f1: 0.3333 },
  train_docs: 16,
  test_docs: 8,
  features: 42,
  labels: ["a", "b|c"],
  config: "default",
  config_params: { vectorizer: { minDf: 3 }, classifier: { Cs: [0.1, 1] } },
  C: 1,
  cross_validation: { C: [0.1, 1], mean_accuracy: [0.75, 0.8] },
  model_sha256: "ab".repeat(32),
  model_bytes: 3 * 1024 * 1024,
  data_source: "fixture",
  data_sha256: "cd".repeat(32),
  trainer_version: "1.2.3",
  per_class: [
    { label: "a", precision: 1, recall: 0.75, f1: 0.8571, support: 4 },
    { label: "b|c", precision: 0.8, recall: 1, f1: 0.8889, support: 4 },
  ],
  confusion_matrix: [
    [3, 1],
    [0, 4],
  ],
  parity: { docs: 8, label_agreement: 8, max_abs_prob_diff: 3e-8 },
  timings: { vectorize: 1.25, total: 10 },
};

describe("renderReport", () => {
  const report = renderReport(METRICS);

  it("puts the model next to the majority baseline", () => {
    expect(report).toContain("| **model** | **87.50%** | **0.8667** |");
    expect(report).toContain("| majority-class baseline (always `b`) | 50.00% | 0.3333 |");
  });

  it("has a per-class row for every label, escaping table pipes", () => {
    expect(report).toContain("| a | 1.0000 | 0.7500 | 0.8571 | 4 |");
    expect(report).toContain("| b\\|c | 0.8000 | 1.0000 | 0.8889 | 4 |");
  });

  it("links the confusion matrix and lists config, CV choice, data, artifact and timings", () => {
    expect(report).toContain("](confusion-matrix.svg)");
    expect(report).toContain("| `vectorizer.minDf` | `3` |");
    expect(report).toContain("| 1 | 0.8000 | chosen |");
    expect(report).toContain("`" + "cd".repeat(32) + "`");
    expect(report).toContain("3.00 MB");
    expect(report).toContain("| vectorize | 1.3 |");
    expect(report).toContain("8/8 labels agree");
  });
});
