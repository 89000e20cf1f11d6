/** The sticky comment's "Data" section: what the data check found, and the change from the base's data. */
import { type DataSummary, dataChanges } from "@textcat/model/data-check";
import { signed } from "./comment.js";

export interface DataSectionInput {
  /** undefined = the training command wrote no data summary. */
  current: DataSummary | undefined;
  /** undefined = the base has no data summary (a model trained before the data check). */
  base: DataSummary | undefined;
  baseRef: string;
}

const list = (labels: readonly string[]) =>
  labels.length === 0 ? "none" : labels.map((l) => `\`${l}\``).join(", ");

export function renderDataSection({ current, base, baseRef }: DataSectionInput): string[] {
  if (!current) return ["", "#### Data", "", "The training command wrote no data summary."];
  const labels = Object.entries(current.labels);
  const facts = [
    `${current.train_docs} training and ${current.test_docs} test documents, ${labels.length} labels.`,
    `Empty or whitespace-only documents: train ${current.empty_docs.train}, test ${current.empty_docs.test}.`,
    `Test documents also in train: ${current.shared_exact} exact, ${current.shared_near} near-duplicates ` +
      `(${current.near_duplicate_method}).`,
    `Near-duplicate groups under 2+ labels (cross-posts): ${current.label_conflicts}.`,
    `Labels only in train: ${list(current.labels_only_in.train)}; only in test: ${list(current.labels_only_in.test)}.`,
  ];
  const lines = ["", "#### Data", "", ...facts.map((fact) => `- ${fact}`), ""];
  if (!base) {
    lines.push(`No data summary at \`${baseRef}\` to compare with.`);
  } else {
    const changes = dataChanges(current, base);
    lines.push(
      changes.length === 0
        ? `Same documents as \`${baseRef}\`.`
        : `Against \`${baseRef}\`: ${changes.length} label${changes.length > 1 ? "s" : ""} changed ` +
            `(training ${signed(current.train_docs - base.train_docs, "count")}, test ${signed(current.test_docs - base.test_docs, "count")} documents).`,
    );
    if (changes.length > 0) {
      lines.push(
        "",
        "| Label | Train | Test | Δ train | Δ test |",
        "| --- | ---: | ---: | ---: | ---: |",
        ...changes.map(({ label, train, test }) => {
          const now = current.labels[label] ?? { train: 0, test: 0 };
          const note = train === 0 && test === 0 ? " (same count, other documents)" : "";
          return `| ${label}${note} | ${now.train} | ${now.test} | ${signed(train, "count")} | ${signed(test, "count")} |`;
        }),
      );
    }
  }
  lines.push(
    "",
    "<details><summary>Documents per label</summary>",
    "",
    "| Label | Train | Test |",
    "| --- | ---: | ---: |",
    ...labels.map(([label, counts]) => `| ${label} | ${counts.train} | ${counts.test} |`),
    "",
    "</details>",
  );
  return lines;
}
