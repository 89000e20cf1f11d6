import { type DataSectionInput, renderDataSection } from "./data-section.js";
import type { GateResult, GateRule } from "./gate.js";
import type { HeadlineMetrics } from "./metrics.js";

/** Hidden marker by which the one sticky comment is found again. */
export const COMMENT_MARKER = "<!-- textcat-lambda:train-and-commit -->";

export interface CommentInput {
  current: HeadlineMetrics;
  /** undefined = the base branch has no model yet. */
  base: HeadlineMetrics | undefined;
  baseRef: string;
  gate: GateResult;
  rule: GateRule;
  modelBytes: number;
  /** What happened to the artifacts, one sentence (e.g. "Committed as abc1234."). */
  commitNote: string;
  /** URL of the confusion-matrix SVG at a commit that holds it; undefined = not shown. */
  confusionMatrixUrl?: string;
  runUrl?: string;
  /** The data check's summary and the base's; undefined = no Data section. */
  data?: DataSectionInput;
}

type Row = [name: string, base: number | undefined, current: number | undefined, kind: "fraction" | "count"];

export function renderComment(input: CommentInput): string {
  const { current, base, gate, rule } = input;
  const rows: Row[] = [
    ["Accuracy", base?.accuracy, current.accuracy, "fraction"],
    ["Macro-F1", base?.macroF1, current.macroF1, "fraction"],
    ["Majority baseline accuracy", base?.baselineAccuracy, current.baselineAccuracy, "fraction"],
    ["Features", base?.features, current.features, "count"],
    ["Training documents", base?.trainDocs, current.trainDocs, "count"],
    ["Test documents", base?.testDocs, current.testDocs, "count"],
  ];
  const baseHeader = base ? `Base (\`${input.baseRef}\`)` : "Base";
  const lines = [
    COMMENT_MARKER,
    gate.passed ? "### ✅ Model quality gate passed" : "### ❌ Model quality gate failed",
    "",
    ...gate.failures.map((failure) => `- **${failure}**`),
    ...(gate.failures.length > 0 ? [""] : []),
    `| Metric | ${baseHeader} | This PR | Δ |`,
    "| --- | ---: | ---: | ---: |",
    ...rows
      .filter(([, b, c]) => b !== undefined || c !== undefined)
      .map((row) => renderRow(row, base !== undefined)),
    renderSizeRow(base?.modelBytes, input.modelBytes, base !== undefined),
    "",
    `Gate: accuracy ≥ ${rule.minAccuracy.toFixed(4)}` +
      (base
        ? `, at most ${rule.maxAccuracyDrop.toFixed(4)} below base.`
        : " (first model: no base to compare)."),
    input.commitNote,
  ];
  if (input.data) lines.push(...renderDataSection(input.data));
  lines.push(...renderPerClass(current.perClassF1, base?.perClassF1));
  if (input.confusionMatrixUrl) {
    lines.push(
      "",
      "<details open><summary>Confusion matrix (test split)</summary>",
      "",
      `![confusion matrix](${input.confusionMatrixUrl})`,
      "",
      "</details>",
    );
  }
  if (input.runUrl) lines.push("", `<sub>Updated by [this run](${input.runUrl}).</sub>`);
  return lines.join("\n") + "\n";
}

function renderRow([name, base, current, kind]: Row, hasBase: boolean): string {
  const format = kind === "fraction" ? (v: number) => v.toFixed(4) : (v: number) => String(Math.round(v));
  const shown = (v: number | undefined) => (v === undefined ? "—" : format(v));
  let delta = "—";
  if (!hasBase) delta = "new";
  else if (base !== undefined && current !== undefined) delta = signed(current - base, kind);
  return `| ${name} | ${shown(base)} | ${shown(current)} | ${delta} |`;
}

function renderSizeRow(baseBytes: number | undefined, bytes: number, hasBase: boolean): string {
  const shownBase = baseBytes === undefined ? "—" : formatBytes(baseBytes);
  let delta = hasBase ? "—" : "new";
  if (baseBytes !== undefined)
    delta = `${bytes >= baseBytes ? "+" : "−"}${formatBytes(Math.abs(bytes - baseBytes))}`;
  return `| Model size | ${shownBase} | ${formatBytes(bytes)} | ${delta} |`;
}

/** Per-class F1 in a collapsed table, biggest drops (or, without a base, weakest classes) first. */
function renderPerClass(
  current: Record<string, number> | undefined,
  base: Record<string, number> | undefined,
): string[] {
  if (!current) return [];
  const rows = Object.entries(current).map(([label, f1]) => ({
    label,
    f1,
    delta: base?.[label] === undefined ? undefined : f1 - base[label],
  }));
  rows.sort((a, b) => (a.delta ?? a.f1) - (b.delta ?? b.f1) || a.label.localeCompare(b.label));
  return [
    "",
    "<details><summary>Per-class F1</summary>",
    "",
    "| Class | Base | This PR | Δ |",
    "| --- | ---: | ---: | ---: |",
    ...rows.map(({ label, f1, delta }) => {
      const shownBase = base?.[label] === undefined ? "—" : base[label].toFixed(4);
      return `| ${label} | ${shownBase} | ${f1.toFixed(4)} | ${delta === undefined ? "new" : signed(delta, "fraction")} |`;
    }),
    "",
    "</details>",
  ];
}

export function signed(delta: number, kind: "fraction" | "count"): string {
  const text = kind === "fraction" ? Math.abs(delta).toFixed(4) : String(Math.abs(Math.round(delta)));
  if (Number(text) === 0) return `±${text}`;
  return `${delta > 0 ? "+" : "−"}${text}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}
