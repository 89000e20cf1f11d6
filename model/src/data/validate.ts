import type { Corpus } from "../types.js";
import { DataError } from "./errors.js";

/** The checks every corpus passes whatever its format: something to learn, and a fair test set. */
export function validateCorpus(corpus: Corpus, where: string): Corpus {
  if (corpus.train.length === 0) throw new DataError(`${where}: no training documents (empty corpus)`);
  if (corpus.test.length === 0) throw new DataError(`${where}: no test documents (the test split is empty)`);
  const trainLabels = new Set(corpus.train.map((doc) => doc.label));
  if (trainLabels.size < 2) {
    const only = [...trainLabels][0] ?? "";
    throw new DataError(
      `${where}: only one label (${JSON.stringify(only)}) in the training data; need at least 2`,
    );
  }
  const unseen = [...new Set(corpus.test.map((doc) => doc.label))].filter((label) => !trainLabels.has(label));
  if (unseen.length > 0) {
    const names = unseen.map((label) => JSON.stringify(label)).join(", ");
    throw new DataError(
      `${where}: test label${unseen.length > 1 ? "s" : ""} ${names} not in the training data`,
    );
  }
  return corpus;
}
