import { describe, expect, test } from "vitest";
import type { CommentInput } from "../src/comment.js";
import { COMMENT_MARKER, formatBytes, renderComment, signed } from "../src/comment.js";

const base = {
  accuracy: 0.86,
  macroF1: 0.85,
  baselineAccuracy: 0.053,
  features: 90000,
  trainDocs: 11314,
  testDocs: 7532,
};
const current = { ...base, accuracy: 0.8712, macroF1: 0.8455, features: 100000 };
const input: CommentInput = {
  current,
  base,
  baseRef: "main",
  gate: { passed: true, failures: [] },
  rule: { minAccuracy: 0.8, maxAccuracyDrop: 0.01 },
  modelBytes: 8 * 1024 * 1024,
  commitNote: "Artifacts committed to `retrain` as abc1234.",
  confusionMatrixUrl: "https://github.com/o/r/blob/abc/model/artifacts/confusion-matrix.svg?raw=true",
  runUrl: "https://github.com/o/r/actions/runs/1",
};

describe("renderComment", () => {
  test("starts with the hidden marker and shows base, new value and signed delta per metric", () => {
    const body = renderComment(input);
    expect(body.startsWith(`${COMMENT_MARKER}\n### ✅ Model quality gate passed`)).toBe(true);
    expect(body).toContain("| Metric | Base (`main`) | This PR | Δ |");
    expect(body).toContain("| Accuracy | 0.8600 | 0.8712 | +0.0112 |");
    expect(body).toContain("| Macro-F1 | 0.8500 | 0.8455 | −0.0045 |");
    expect(body).toContain("| Majority baseline accuracy | 0.0530 | 0.0530 | ±0.0000 |");
    expect(body).toContain("| Features | 90000 | 100000 | +10000 |");
    expect(body).toContain("| Model size | — | 8.00 MiB | — |");
    expect(body).toContain("Gate: accuracy ≥ 0.8000, at most 0.0100 below base.");
    expect(body).toContain(`![confusion matrix](${input.confusionMatrixUrl})`);
    expect(body).toContain("Artifacts committed to `retrain` as abc1234.");
    expect(body).toContain("[this run](https://github.com/o/r/actions/runs/1)");
  });

  test("a first model has no base column values and marks rows new", () => {
    const body = renderComment({ ...input, base: undefined });
    expect(body).toContain("| Metric | Base | This PR | Δ |");
    expect(body).toContain("| Accuracy | — | 0.8712 | new |");
    expect(body).toContain("(first model: no base to compare)");
  });

  test("a failed gate lists each failure and shows no picture when none is given", () => {
    const body = renderComment({
      ...input,
      gate: { passed: false, failures: ["accuracy 0.7000 is below the minimum 0.8000"] },
      confusionMatrixUrl: undefined,
    });
    expect(body).toContain(
      "### ❌ Model quality gate failed\n\n- **accuracy 0.7000 is below the minimum 0.8000**",
    );
    expect(body).not.toContain("confusion matrix](");
  });

  test("model size and per-class F1 show deltas, biggest drop first", () => {
    const body = renderComment({
      ...input,
      base: {
        ...base,
        modelBytes: 6 * 1024 * 1024,
        perClassF1: { "sci.space": 0.9, "sci.med": 0.8, "rec.autos": 0.85 },
      },
      current: {
        ...current,
        perClassF1: { "sci.space": 0.92, "sci.med": 0.7, "rec.autos": 0.85, "new.group": 0.5 },
      },
    });
    expect(body).toContain("| Model size | 6.00 MiB | 8.00 MiB | +2.00 MiB |");
    const perClass = body.slice(body.indexOf("<summary>Per-class F1</summary>"));
    expect(perClass.split("\n").filter((line) => /^\| [a-z]/.test(line))).toEqual([
      "| sci.med | 0.8000 | 0.7000 | −0.1000 |",
      "| rec.autos | 0.8500 | 0.8500 | ±0.0000 |",
      "| sci.space | 0.9000 | 0.9200 | +0.0200 |",
      "| new.group | — | 0.5000 | new |",
    ]);
  });

  test("rows the trainer did not report are left out", () => {
    const body = renderComment({
      ...input,
      base: { accuracy: 0.8, macroF1: 0.8 },
      current: { accuracy: 0.9, macroF1: 0.9 },
    });
    expect(body).not.toContain("Features");
    expect(body).not.toContain("Per-class F1");
    expect(body).toContain("| Accuracy | 0.8000 | 0.9000 | +0.1000 |");
  });

  test.each([
    [0.01234, "fraction", "+0.0123"],
    [-0.5, "fraction", "−0.5000"],
    [0.00001, "fraction", "±0.0000"],
    [-3, "count", "−3"],
    [0, "count", "±0"],
  ] as const)("signed(%s, %s) = %s", (delta, kind, text) => {
    expect(signed(delta, kind)).toBe(text);
  });

  test.each([
    [512, "512 B"],
    [27266, "26.6 KiB"],
    [5 * 1024 * 1024, "5.00 MiB"],
  ])("formatBytes(%d) = %s", (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
