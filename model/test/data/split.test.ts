import { describe, expect, it } from "vitest";

import { DataError, stratifiedSplit } from "../../src/data/index.js";
import type { LabelledDoc } from "../../src/types.js";

function docs(counts: Record<string, number>): LabelledDoc[] {
  return Object.entries(counts).flatMap(([label, count]) =>
    Array.from({ length: count }, (_, index) => ({ label, text: `${label} text number ${index}` })),
  );
}

function countByLabel(side: LabelledDoc[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const doc of side) counts[doc.label] = (counts[doc.label] ?? 0) + 1;
  return counts;
}

describe("stratifiedSplit", () => {
  it("holds out round(n × fraction) of each label, keeping at least one document on each side", () => {
    const { train, test } = stratifiedSplit(docs({ big: 100, medium: 11, two: 2, single: 1 }), 0.2);

    expect(countByLabel(test)).toEqual({ big: 20, medium: 2, two: 1 });
    expect(countByLabel(train)).toEqual({ big: 80, medium: 9, two: 1, single: 1 });
  });

  it("gives the same split whatever the input order, and keeps the input order on each side", () => {
    const input = docs({ a: 30, b: 30, c: 30 });
    const shuffled = [...input].reverse();

    const first = stratifiedSplit(input, 0.25);
    const second = stratifiedSplit(shuffled, 0.25);

    expect(new Set(second.test.map((doc) => doc.text))).toEqual(new Set(first.test.map((doc) => doc.text)));
    expect(first.test.map((doc) => input.indexOf(doc))).toEqual(
      [...first.test.map((doc) => input.indexOf(doc))].sort((x, y) => x - y),
    );
  });

  it("does not simply take the first or last documents of a label", () => {
    const input = docs({ a: 50, b: 50 });
    const testIndexes = stratifiedSplit(input, 0.2).test.map((doc) => input.indexOf(doc));

    expect(testIndexes.filter((index) => index < 50)).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(testIndexes.filter((index) => index < 50)).not.toEqual([40, 41, 42, 43, 44, 45, 46, 47, 48, 49]);
  });

  it.each([0, 1, -0.5, 1.5, Number.NaN])("rejects a test fraction of %s", (fraction) => {
    expect(() => stratifiedSplit(docs({ a: 3 }), fraction)).toThrow(DataError);
  });
});
