import type { LabelledDoc } from "../types.js";

/** What a reader found: documents already split into train/test, or one pool still to be split. */
export type RawSource =
  | { kind: "split"; train: LabelledDoc[]; test: LabelledDoc[]; sha256: string }
  | { kind: "unsplit"; docs: LabelledDoc[]; sha256: string };

export type SplitName = "train" | "test";

/** A document found in a `<split>/<label>/<file>` or `<label>/<file>` tree, before sorting. */
export interface TreeDoc {
  label: string;
  fileName: string;
  text: string;
}

/** `20news-bydate-train` → "train", `train` → "train", `my-test` → "test"; anything else → undefined. */
export function splitOfFolderName(name: string): SplitName | undefined {
  const match = /(?:^|[-_.])(train|test)$/i.exec(name);
  return match ? (match[1]!.toLowerCase() as SplitName) : undefined;
}

/** Sorted by label then file name (code-unit order), so training sees the same order everywhere. */
export function sortTreeDocs(docs: TreeDoc[]): LabelledDoc[] {
  docs.sort((a, b) => compareStrings(a.label, b.label) || compareStrings(a.fileName, b.fileName));
  return docs.map(({ label, text }) => ({ text, label }));
}

/** Locale-independent ordering (code units), so the same names sort the same on every machine. */
export function compareStrings(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
