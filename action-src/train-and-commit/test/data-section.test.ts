import { describe, expect, test } from "vitest";
import { type DataSummary, summarizeData } from "@textcat/model/data-check";
import type { LabelledDoc } from "@textcat/model/types";
import { renderComment } from "../src/comment.js";
import { renderDataSection } from "../src/data-section.js";
import { parseDataSummary } from "../src/data-summary.js";

const docs = (label: string, n: number, from = 0): LabelledDoc[] =>
  Array.from({ length: n }, (_, i) => ({
    label,
    text: `${label} post ${from + i} ${"about things ".repeat(5)}`,
  }));
const summary = (train: LabelledDoc[], test: LabelledDoc[]): DataSummary =>
  summarizeData({ train, test, source: "generated", sha256: "0".repeat(64) });

const base = summary(
  [...docs("sci.space", 5), ...docs("rec.autos", 4)],
  [...docs("sci.space", 2, 50), ...docs("rec.autos", 1, 50)],
);
const current = summary(
  [...docs("sci.space", 7), ...docs("rec.autos", 3, 1)],
  [...docs("sci.space", 2, 50), ...docs("rec.autos", 1, 50), ...docs("sci.space", 1, 0)],
);

describe("renderDataSection", () => {
  test("shows the checks, and per changed label its counts and net change against the base", () => {
    const text = renderDataSection({ current, base, baseRef: "main" }).join("\n");
    expect(text).toContain("#### Data");
    expect(text).toContain("- 10 training and 4 test documents, 2 labels.");
    expect(text).toContain(
      "- Test documents also in train: 1 exact, 1 near-duplicates (same body of 8+ words",
    );
    expect(text).toContain("Against `main`: 2 labels changed (training +1, test +1 documents).");
    expect(text).toContain("| rec.autos | 3 | 1 | −1 | ±0 |");
    expect(text).toContain("| sci.space | 7 | 3 | +2 | +1 |");
    expect(text).toContain("<details><summary>Documents per label</summary>");
  });

  test("same documents, no base, and no summary each say so", () => {
    expect(renderDataSection({ current: base, base, baseRef: "main" })).toContain(
      "Same documents as `main`.",
    );
    expect(renderDataSection({ current, base: undefined, baseRef: "abc1234" })).toContain(
      "No data summary at `abc1234` to compare with.",
    );
    expect(renderDataSection({ current: undefined, base, baseRef: "main" })).toContain(
      "The training command wrote no data summary.",
    );
  });

  test("documents replaced one for one show as a change with equal counts", () => {
    const replaced = summary(
      [...docs("sci.space", 5, 100), ...docs("rec.autos", 4)],
      [...docs("sci.space", 2, 50), ...docs("rec.autos", 1, 50)],
    );
    expect(renderDataSection({ current: replaced, base, baseRef: "main" })).toContain(
      "| sci.space (same count, other documents) | 5 | 2 | ±0 | ±0 |",
    );
  });

  test("the sticky comment carries the section after the gate", () => {
    const body = renderComment({
      current: { accuracy: 0.9, macroF1: 0.9 },
      base: undefined,
      baseRef: "main",
      gate: { passed: true, failures: [] },
      rule: { minAccuracy: 0.8, maxAccuracyDrop: 0.01 },
      modelBytes: 10,
      commitNote: "Committed.",
      data: { current, base, baseRef: "main" },
    });
    expect(body.indexOf("#### Data")).toBeGreaterThan(body.indexOf("Committed."));
  });
});

describe("parseDataSummary", () => {
  test("reads what the trainer writes", () => {
    expect(parseDataSummary(JSON.stringify(current), "data-summary.json")).toEqual(current);
  });

  test.each([
    ["{not json", "data-summary.json is not valid JSON"],
    ["[]", "data-summary.json must be a JSON object"],
    [
      JSON.stringify({ ...current, shared_near: -1 }),
      'data-summary.json: "shared_near" must be a count, got -1',
    ],
    [
      JSON.stringify({ ...current, labels: { a: { train: 1 } } }),
      'data-summary.json: "labels.a.test" must be a count, got undefined',
    ],
    [
      JSON.stringify({ ...current, labels_only_in: { train: [1], test: [] } }),
      'data-summary.json: "labels_only_in.train" must be an array of labels',
    ],
  ])("names the bad input: %s", (text, message) => {
    expect(() => parseDataSummary(text, "data-summary.json")).toThrow(message);
  });
});
