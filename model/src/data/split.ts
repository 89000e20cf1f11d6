import type { LabelledDoc } from "../types.js";
import { sha256Hex } from "./digest.js";
import { DataError } from "./errors.js";
import { compareStrings } from "./raw-source.js";

export const DEFAULT_TEST_FRACTION = 0.2;

const SPLIT_SALT = "textcat-lambda/split/v1\n";

/**
 * Deterministic stratified split: within each label, documents are ranked by a hash of their text and
 * the first round(n × testFraction) go to test (at least one, and at least one left for training, when
 * the label has two or more documents). The same documents give the same split whatever their order;
 * each side keeps the input order.
 */
export function stratifiedSplit(
  docs: readonly LabelledDoc[],
  testFraction: number,
): { train: LabelledDoc[]; test: LabelledDoc[] } {
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new DataError(`test fraction must be between 0 and 1 (exclusive), got ${testFraction}`);
  }
  const byLabel = new Map<string, { index: number; key: string }[]>();
  docs.forEach((doc, index) => {
    const ranked = byLabel.get(doc.label) ?? [];
    ranked.push({ index, key: sha256Hex(SPLIT_SALT + doc.text) });
    byLabel.set(doc.label, ranked);
  });
  const testIndexes = new Set<number>();
  for (const ranked of byLabel.values()) {
    ranked.sort((a, b) => compareStrings(a.key, b.key) || a.index - b.index);
    for (const { index } of ranked.slice(0, testCount(ranked.length, testFraction))) testIndexes.add(index);
  }
  const train: LabelledDoc[] = [];
  const test: LabelledDoc[] = [];
  docs.forEach((doc, index) => (testIndexes.has(index) ? test : train).push(doc));
  return { train, test };
}

function testCount(labelSize: number, testFraction: number): number {
  if (labelSize < 2) return 0;
  return Math.min(labelSize - 1, Math.max(1, Math.round(labelSize * testFraction)));
}
