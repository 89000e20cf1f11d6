/** Reads the data-summary.json the trainer writes (model/src/data/data-check.ts), naming the bad field. */
import type { DataSummary, LabelCounts } from "@textcat/model/data-check";
import { ActionError } from "@textcat/action-shared/errors";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function parseDataSummary(text: string, source: string): DataSummary {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ActionError(`${source} is not valid JSON`);
  }
  if (!isObject(json)) throw new ActionError(`${source} must be a JSON object`);
  const count = (value: unknown, field: string): number => {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
      throw new ActionError(`${source}: "${field}" must be a count, got ${JSON.stringify(value)}`);
    }
    return value;
  };
  const object = (value: unknown, field: string): Json => {
    if (!isObject(value)) throw new ActionError(`${source}: "${field}" must be an object`);
    return value;
  };
  const labelList = (value: unknown, field: string): string[] => {
    if (!Array.isArray(value) || !value.every((label) => typeof label === "string")) {
      throw new ActionError(`${source}: "${field}" must be an array of labels`);
    }
    return value;
  };
  const labels: Record<string, LabelCounts> = {};
  for (const [label, counts] of Object.entries(object(json.labels, "labels"))) {
    const field = `labels.${label}`;
    const entry = object(counts, field);
    labels[label] = {
      train: count(entry.train, `${field}.train`),
      test: count(entry.test, `${field}.test`),
      digest: typeof entry.digest === "string" ? entry.digest : "",
    };
  }
  const empty = object(json.empty_docs, "empty_docs");
  const onlyIn = object(json.labels_only_in, "labels_only_in");
  return {
    data_sha256: typeof json.data_sha256 === "string" ? json.data_sha256 : "",
    train_docs: count(json.train_docs, "train_docs"),
    test_docs: count(json.test_docs, "test_docs"),
    labels,
    empty_docs: { train: count(empty.train, "empty_docs.train"), test: count(empty.test, "empty_docs.test") },
    shared_exact: count(json.shared_exact, "shared_exact"),
    shared_near: count(json.shared_near, "shared_near"),
    near_duplicate_method: typeof json.near_duplicate_method === "string" ? json.near_duplicate_method : "",
    label_conflicts: count(json.label_conflicts, "label_conflicts"),
    labels_only_in: {
      train: labelList(onlyIn.train, "labels_only_in.train"),
      test: labelList(onlyIn.test, "labels_only_in.test"),
    },
  };
}
