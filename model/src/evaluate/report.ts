/** Renders metrics.json as report.md: headline vs baseline, per-class table, confusion matrix, config, timings. */
import { ARTIFACT_FILES } from "@textcat/contract";
import type { TrainingMetrics } from "./training-metrics.js";

function table(header: string[], rows: (string | number)[][], align?: ("l" | "r")[]): string {
  const rule = header.map((_, i) => ((align?.[i] ?? "l") === "r" ? "---:" : "---"));
  return [header, rule, ...rows].map((cells) => `| ${cells.map(escapeCell).join(" | ")} |`).join("\n");
}

function escapeCell(cell: string | number): string {
  return String(cell).replace(/\|/g, "\\|").replace(/\n/g, " ");
}

const pct = (value: number) => `${(value * 100).toFixed(2)}%`;
const significant = (value: number) => Number(value.toPrecision(4));
const fixed = (value: number, digits = 4) => value.toFixed(digits);

function flatten(value: unknown, prefix = ""): [string, string][] {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  }
  return [[prefix, JSON.stringify(value, (_, v: unknown) => (typeof v === "number" ? significant(v) : v))]];
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

export function renderReport(m: TrainingMetrics): string {
  const sections = [
    `# Model report: \`${m.config}\``,
    `Trained on ${m.train_docs} documents, evaluated on ${m.test_docs} held-out documents ` +
      `(${m.labels.length} labels, ${m.features} features, C = ${significant(m.C)}).`,
    "## Test-set results",
    table(
      ["", "accuracy", "macro-F1"],
      [
        ["**model**", `**${pct(m.accuracy)}**`, `**${fixed(m.macro_f1)}**`],
        [
          `majority-class baseline (always \`${m.baseline.label}\`)`,
          pct(m.baseline.accuracy),
          fixed(m.baseline.macro_f1),
        ],
      ],
      ["l", "r", "r"],
    ),
    "## Per class",
    table(
      ["label", "precision", "recall", "F1", "support"],
      m.per_class.map((c) => [c.label, fixed(c.precision), fixed(c.recall), fixed(c.f1), c.support]),
      ["l", "r", "r", "r", "r"],
    ),
    "## Cross-validation",
    `Mean held-out accuracy over the folds for each regularisation strength; the best C is refit on all training data.`,
    table(
      ["C", "mean accuracy", ""],
      m.cross_validation.C.map((c, i) => [
        significant(c),
        fixed(m.cross_validation.mean_accuracy[i] ?? NaN),
        c === m.C ? "chosen" : "",
      ]),
      ["r", "r", "l"],
    ),
    "## Confusion matrix",
    `![Confusion matrix: rows are true labels, columns predicted labels](${ARTIFACT_FILES.confusionMatrix})`,
    "## ONNX parity",
    `onnxruntime running \`${ARTIFACT_FILES.model}\` vs the TypeScript pipeline on the test split: ` +
      `${m.parity.label_agreement}/${m.parity.docs} labels agree, ` +
      `max |Δ probability| = ${m.parity.max_abs_prob_diff.toExponential(2)}.`,
    "## Configuration",
    table(
      ["parameter", "value"],
      flatten(m.config_params).map(([k, v]) => [`\`${k}\``, `\`${v}\``]),
    ),
    "## Data and artifact",
    table(
      ["", ""],
      [
        ["data", `\`${m.data_source}\``],
        ["data SHA-256", `\`${m.data_sha256}\``],
        [ARTIFACT_FILES.model, `${formatBytes(m.model_bytes)}, SHA-256 \`${m.model_sha256}\``],
        ["trainer version", `\`${m.trainer_version}\``],
      ],
    ),
    "## Timings",
    table(
      ["stage", "seconds"],
      Object.entries(m.timings).map(([stage, seconds]) => [stage, seconds.toFixed(1)]),
      ["l", "r"],
    ),
  ];
  return sections.join("\n\n") + "\n";
}
