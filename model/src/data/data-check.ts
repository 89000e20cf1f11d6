/**
 * The data check that runs before training: a summary of the corpus (documents per label and split,
 * empty documents, train/test leakage, labels in one split only), the limits it must stay within,
 * and its change against another summary. Pure: the CLI does the reading, printing and writing.
 */
import type { Corpus, LabelledDoc } from "../types.js";
import { sha256Hex } from "./digest.js";
import { DataError } from "./errors.js";
import { NEAR_DUPLICATE_METHOD, nearDuplicateKey } from "./near-duplicate.js";
import { compareStrings } from "./raw-source.js";

export type Split = "train" | "test";

export interface LabelCounts {
  train: number;
  test: number;
  /** SHA-256 over the sorted SHA-256s of the label's documents (both splits): equal counts, other documents show. */
  digest: string;
}

/** What data-summary.json holds, beside model.onnx. */
export interface DataSummary {
  data_sha256: string;
  train_docs: number;
  test_docs: number;
  /** Label → documents in each split, labels in sorted order. */
  labels: Record<string, LabelCounts>;
  /** Documents that are empty or only whitespace. */
  empty_docs: Record<Split, number>;
  /** Test documents whose exact text is also a training document. */
  shared_exact: number;
  /** Test documents that are near-duplicates of a training document (the exact ones included). */
  shared_near: number;
  near_duplicate_method: string;
  /** Near-duplicate groups that carry two or more labels (cross-posts), anywhere in the corpus. */
  label_conflicts: number;
  labels_only_in: Record<Split, string[]>;
}

/** The limits a corpus must stay within to be trained on; each config names its own. */
export interface DataCheckLimits {
  /** Empty or whitespace-only documents, both splits together. */
  maxEmptyDocs: number;
  /** Share of test documents whose exact text is a training document (0..1). */
  maxSharedExactShare: number;
  /** Share of test documents that are near-duplicates of a training document (0..1). */
  maxSharedNearShare: number;
  /** Labels present in one split only. */
  maxLabelsInOneSplit: number;
}

/** The corpus failed a data check; the CLI prints the one-line message and exits 2. */
export class DataCheckError extends DataError {
  constructor(message: string) {
    super(message);
    this.name = "DataCheckError";
  }
}

function countLabels(corpus: Corpus): Record<string, LabelCounts> {
  const counts = new Map<string, { train: number; test: number; hashes: string[] }>();
  for (const split of ["train", "test"] as const) {
    for (const doc of corpus[split]) {
      const entry = counts.get(doc.label) ?? { train: 0, test: 0, hashes: [] };
      entry[split] += 1;
      entry.hashes.push(sha256Hex(doc.text));
      counts.set(doc.label, entry);
    }
  }
  const labels = [...counts.keys()].sort(compareStrings);
  return Object.fromEntries(
    labels.map((label) => {
      const { train, test, hashes } = counts.get(label)!;
      return [label, { train, test, digest: sha256Hex(hashes.sort(compareStrings).join("\n")) }];
    }),
  );
}

/** Near-duplicate groups (by key) that hold more than one label. */
function labelConflicts(docs: readonly (LabelledDoc & { key: string | undefined })[]): number {
  const labelsByKey = new Map<string, Set<string>>();
  for (const doc of docs) {
    if (doc.key === undefined) continue;
    const labels = labelsByKey.get(doc.key) ?? new Set<string>();
    labels.add(doc.label);
    labelsByKey.set(doc.key, labels);
  }
  return [...labelsByKey.values()].filter((labels) => labels.size > 1).length;
}

export function summarizeData(corpus: Corpus): DataSummary {
  const keyed = (docs: readonly LabelledDoc[]) =>
    docs.map((doc) => ({ ...doc, key: nearDuplicateKey(doc.text) }));
  const train = keyed(corpus.train);
  const test = keyed(corpus.test);
  const trainTexts = new Set(corpus.train.map((doc) => doc.text));
  const trainKeys = new Set(train.flatMap((doc) => (doc.key === undefined ? [] : [doc.key])));
  const labels = countLabels(corpus);
  const inSplit = (split: Split) => Object.keys(labels).filter((label) => labels[label]![split] > 0);
  const isEmpty = (doc: LabelledDoc) => doc.text.trim() === "";
  return {
    data_sha256: corpus.sha256,
    train_docs: corpus.train.length,
    test_docs: corpus.test.length,
    labels,
    empty_docs: { train: corpus.train.filter(isEmpty).length, test: corpus.test.filter(isEmpty).length },
    shared_exact: corpus.test.filter((doc) => trainTexts.has(doc.text)).length,
    shared_near: test.filter(
      (doc) => trainTexts.has(doc.text) || (doc.key !== undefined && trainKeys.has(doc.key)),
    ).length,
    near_duplicate_method: NEAR_DUPLICATE_METHOD,
    label_conflicts: labelConflicts([...train, ...test]),
    labels_only_in: {
      train: inSplit("train").filter((label) => labels[label]!.test === 0),
      test: inSplit("test").filter((label) => labels[label]!.train === 0),
    },
  };
}

const percent = (share: number) => `${(share * 100).toFixed(2)}%`;
const shareOf = (count: number, total: number) => (total === 0 ? 0 : count / total);

/** Each limit the summary crosses, as a short phrase; [] when the data may be trained on. */
export function dataCheckFailures(summary: DataSummary, limits: DataCheckLimits): string[] {
  const failures: string[] = [];
  const empty = summary.empty_docs.train + summary.empty_docs.test;
  if (empty > limits.maxEmptyDocs) {
    failures.push(
      `${empty} empty or whitespace-only documents (train ${summary.empty_docs.train}, test ${summary.empty_docs.test}; limit ${limits.maxEmptyDocs})`,
    );
  }
  const exact = shareOf(summary.shared_exact, summary.test_docs);
  if (exact > limits.maxSharedExactShare) {
    failures.push(
      `${summary.shared_exact} test documents (${percent(exact)}) are also training documents (limit ${percent(limits.maxSharedExactShare)})`,
    );
  }
  const near = shareOf(summary.shared_near, summary.test_docs);
  if (near > limits.maxSharedNearShare) {
    failures.push(
      `${summary.shared_near} test documents (${percent(near)}) are near-duplicates of training documents (limit ${percent(limits.maxSharedNearShare)})`,
    );
  }
  const oneSplit = [...summary.labels_only_in.train, ...summary.labels_only_in.test];
  if (oneSplit.length > limits.maxLabelsInOneSplit) {
    const names = (split: Split) =>
      summary.labels_only_in[split].map((label) => JSON.stringify(label)).join(", ");
    const where = (["train", "test"] as const)
      .filter((split) => summary.labels_only_in[split].length > 0)
      .map((split) => `only in ${split}: ${names(split)}`)
      .join("; ");
    failures.push(
      `${oneSplit.length} labels in one split only (${where}; limit ${limits.maxLabelsInOneSplit})`,
    );
  }
  return failures;
}

/** Throws DataCheckError naming every crossed limit, before any training. */
export function assertDataPasses(summary: DataSummary, limits: DataCheckLimits, configName: string): void {
  const failures = dataCheckFailures(summary, limits);
  if (failures.length > 0) {
    throw new DataCheckError(`data check failed (config ${configName}): ${failures.join("; ")}`);
  }
}

/** The summary as the CLI prints it: one line per label, then the checks. */
export function renderDataSummary(summary: DataSummary): string {
  const labels = Object.entries(summary.labels);
  const width = Math.max(5, ...labels.map(([label]) => label.length));
  const rows = labels.map(
    ([label, counts]) =>
      `  ${label.padEnd(width)} ${String(counts.train).padStart(6)} ${String(counts.test).padStart(6)}`,
  );
  const oneSplit = (split: Split) => summary.labels_only_in[split].join(", ") || "none";
  return [
    `data: ${summary.train_docs} training and ${summary.test_docs} test documents, ${labels.length} labels`,
    `  ${"label".padEnd(width)} ${"train".padStart(6)} ${"test".padStart(6)}`,
    ...rows,
    `data: empty or whitespace-only documents: train ${summary.empty_docs.train}, test ${summary.empty_docs.test}`,
    `data: test documents also in train: ${summary.shared_exact} exact, ${summary.shared_near} near-duplicates (${summary.near_duplicate_method})`,
    `data: near-duplicate groups with 2+ labels (cross-posts): ${summary.label_conflicts}`,
    `data: labels only in train: ${oneSplit("train")}; only in test: ${oneSplit("test")}`,
  ].join("\n");
}

export interface LabelChange {
  label: string;
  /** Net change of the label's documents per split (new minus base). */
  train: number;
  test: number;
}

/** Labels whose documents differ from the base's (even with equal counts), with the net changes. */
export function dataChanges(current: DataSummary, base: DataSummary): LabelChange[] {
  const labels = [...new Set([...Object.keys(base.labels), ...Object.keys(current.labels)])].sort(
    compareStrings,
  );
  const empty = { train: 0, test: 0, digest: "" };
  return labels.flatMap((label) => {
    const now = current.labels[label] ?? empty;
    const before = base.labels[label] ?? empty;
    if (now.digest === before.digest) return [];
    return [{ label, train: now.train - before.train, test: now.test - before.test }];
  });
}
