import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { ARTIFACT_FILES } from "@textcat/contract";

const artifact = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../artifacts/${name}`, import.meta.url), "utf8")) as Record<
    string,
    unknown
  >;

test("the committed data summary describes the data the committed model was trained on", () => {
  const metrics = artifact(ARTIFACT_FILES.metrics);
  const summary = artifact(ARTIFACT_FILES.dataSummary);
  expect(summary.data_sha256).toBe(metrics.data_sha256);
  expect([summary.train_docs, summary.test_docs]).toEqual([metrics.train_docs, metrics.test_docs]);
  expect(Object.keys(summary.labels as object)).toEqual(metrics.labels);
});
