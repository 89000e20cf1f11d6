import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

import { sha256Hex } from "../../src/data/digest.js";
import { DataError, fixtureCorpus, loadCorpus, writeFixtureFolder } from "../../src/data/index.js";
import { TOKEN_PATTERN, type LabelledDoc } from "../../src/types.js";
import { makeTempDir } from "./helpers.js";

function tokens(text: string): string[] {
  return text.toLowerCase().match(new RegExp(TOKEN_PATTERN, "gu")) ?? [];
}

/** A multinomial naive Bayes with add-one smoothing: a yardstick for "learnable", independent of the trainer. */
function naiveBayesAccuracy(train: LabelledDoc[], test: LabelledDoc[]): number {
  const counts = new Map<string, Map<string, number>>();
  const totals = new Map<string, number>();
  const vocabulary = new Set<string>();
  for (const doc of train) {
    const labelCounts = counts.get(doc.label) ?? new Map<string, number>();
    for (const token of tokens(doc.text)) {
      labelCounts.set(token, (labelCounts.get(token) ?? 0) + 1);
      totals.set(doc.label, (totals.get(doc.label) ?? 0) + 1);
      vocabulary.add(token);
    }
    counts.set(doc.label, labelCounts);
  }
  const predict = (text: string): string => {
    let best = "";
    let bestScore = -Infinity;
    for (const [label, labelCounts] of counts) {
      const denominator = (totals.get(label) ?? 0) + vocabulary.size;
      const score = tokens(text).reduce(
        (sum, token) => sum + Math.log(((labelCounts.get(token) ?? 0) + 1) / denominator),
        0,
      );
      if (score > bestScore) [best, bestScore] = [label, score];
    }
    return best;
  };
  return test.filter((doc) => predict(doc.text) === doc.label).length / test.length;
}

describe("fixtureCorpus", () => {
  const corpus = fixtureCorpus();

  it("has 4 labels with 30 training and 10 test documents each", () => {
    const labels = ["computing", "cooking", "space", "sport"];
    for (const label of labels) {
      expect(corpus.train.filter((doc) => doc.label === label)).toHaveLength(30);
      expect(corpus.test.filter((doc) => doc.label === label)).toHaveLength(10);
    }
    expect(new Set([...corpus.train, ...corpus.test].map((doc) => doc.label))).toEqual(new Set(labels));
  });

  it("is generated the same way every time, with a digest of its canonical JSON", () => {
    const again = fixtureCorpus();

    expect(again).toEqual(corpus);
    expect(corpus.sha256).toBe(sha256Hex(JSON.stringify({ train: corpus.train, test: corpus.test })));
    expect(corpus.source).toBe("fixture");
  });

  it("has distinct, short, sentence-like texts", () => {
    const texts = [...corpus.train, ...corpus.test].map((doc) => doc.text);

    expect(new Set(texts).size).toBe(texts.length);
    for (const text of texts) {
      expect(tokens(text).length).toBeGreaterThanOrEqual(8);
      expect(text.length).toBeLessThan(400);
      expect(text).toMatch(/^[A-Z].*[.?!]$/);
      expect(text).not.toContain("{");
    }
  });

  it("is learnable but not by a single give-away word: topic words are shared between labels", () => {
    expect(naiveBayesAccuracy(corpus.train, corpus.test)).toBeGreaterThanOrEqual(0.9);
    const labelsUsing = (word: string): number =>
      new Set(corpus.train.filter((doc) => tokens(doc.text).includes(word)).map((doc) => doc.label)).size;
    expect(labelsUsing("team")).toBeGreaterThanOrEqual(3);
    expect(labelsUsing("heat")).toBeGreaterThanOrEqual(2);
  });
});

describe("writeFixtureFolder", () => {
  it("writes a split layout that loads back as exactly the fixture's train and test sets", async () => {
    const dir = await makeTempDir();

    expect(await writeFixtureFolder(dir)).toBe(160);
    const loaded = await loadCorpus(dir);

    expect(loaded.train).toEqual(fixtureCorpus().train);
    expect(loaded.test).toEqual(fixtureCorpus().test);
  });

  it("writes a flat folder-per-label layout that loads with a stratified split", async () => {
    const dir = await makeTempDir();
    await writeFixtureFolder(dir, "flat");

    const loaded = await loadCorpus(dir);

    expect(loaded.train).toHaveLength(128);
    expect(loaded.test).toHaveLength(32);
  });

  it("refuses a folder that already has files in it", async () => {
    const dir = await makeTempDir();
    await writeFile(join(dir, "keep.txt"), "precious");

    await expect(writeFixtureFolder(dir)).rejects.toThrow(
      new DataError(`${dir}: folder is not empty; choose a new or empty folder`),
    );
  });
});
