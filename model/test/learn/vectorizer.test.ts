import { describe, expect, it } from "vitest";
import type { Csr } from "../../src/learn/index.js";
import {
  chi2Scores,
  fitTransform,
  fitVectorizer,
  ngrams,
  smoothIdf,
  tokenize,
  transform,
  VectorizerParamsError,
} from "../../src/learn/index.js";
import type { VectorizerParams } from "../../src/types.js";
import { topicCorpus } from "./helpers.js";

const docs = ["The cat sat on the mat.", "The dog sat.", "A cat and a dog!", "Cat cat cat", "x y z"];
const unigrams: VectorizerParams = { ngramRange: [1, 1], minDf: 1, maxDf: 1.0, sublinearTf: false };

function dense(matrix: Csr): number[][] {
  return Array.from({ length: matrix.rows }, (_, row) => {
    const out = new Array<number>(matrix.cols).fill(0);
    for (let k = matrix.indptr[row]!; k < matrix.indptr[row + 1]!; k++)
      out[matrix.indices[k]!] = matrix.values[k]!;
    return out;
  });
}

function expectClose(actual: number[][], expected: number[][]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => row.forEach((value, j) => expect(value).toBeCloseTo(expected[i]![j]!, 6)));
}

describe("fitTransform", () => {
  it("matches tf-idf computed by hand: raw counts × smoothed idf, L2-normalised", () => {
    const { vectorizer, matrix } = fitTransform(docs, unigrams);
    expect(vectorizer.vocabulary).toEqual(["and", "cat", "dog", "mat", "on", "sat", "the"]);
    const n = docs.length;
    const idf = (df: number) => Math.log((1 + n) / (1 + df)) + 1;
    expect(Array.from(vectorizer.idf)).toEqual([1, 3, 2, 1, 1, 2, 2].map(idf));
    // Doc 0: cat 1, mat 1, on 1, sat 1, the 2.
    const row0 = [0, idf(3), 0, idf(1), idf(1), idf(2), 2 * idf(2)];
    const norm = Math.hypot(...row0);
    expectClose(dense(matrix).slice(0, 1), [row0.map((v) => v / norm)]);
  });

  // Expected values printed by scikit-learn 1.2.1's TfidfVectorizer on the same documents.
  it.each<[string, Partial<VectorizerParams>, string[], number[][]]>([
    [
      "sublinear tf",
      { sublinearTf: true },
      ["and", "cat", "dog", "mat", "on", "sat", "the"],
      [
        [0.0, 0.300545, 0.0, 0.448767, 0.448767, 0.362063, 0.613025],
        [0.0, 0.0, 0.57735, 0.0, 0.0, 0.57735, 0.57735],
        [0.690159, 0.462208, 0.556816, 0.0, 0.0, 0.0, 0.0],
        [0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
      ],
    ],
    [
      "bigrams with min_df 2",
      { ngramRange: [1, 2], minDf: 2 },
      ["cat", "dog", "sat", "the"],
      [
        [0.348021, 0.0, 0.419257, 0.838514],
        [0.0, 0.57735, 0.57735, 0.57735],
        [0.638711, 0.769447, 0.0, 0.0],
        [1.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0],
      ],
    ],
    [
      "max_df as a proportion",
      { maxDf: 0.5 },
      ["and", "dog", "mat", "on", "sat", "the"],
      [
        [0.0, 0.0, 0.436246, 0.436246, 0.35196, 0.70392],
        [0.0, 0.57735, 0.0, 0.0, 0.57735, 0.57735],
        [0.778283, 0.627914, 0.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
      ],
    ],
    [
      "max_df as a count, sublinear",
      { maxDf: 2, sublinearTf: true },
      ["and", "dog", "mat", "on", "sat", "the"],
      [
        [0.0, 0.0, 0.47052, 0.47052, 0.379613, 0.64274],
        [0.0, 0.57735, 0.0, 0.0, 0.57735, 0.57735],
        [0.778283, 0.627914, 0.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
      ],
    ],
  ])("matches scikit-learn: %s", (_, overrides, vocabulary, expected) => {
    const { vectorizer, matrix } = fitTransform(docs, { ...unigrams, ...overrides });
    expect(vectorizer.vocabulary).toEqual(vocabulary);
    expectClose(dense(matrix), expected);
  });

  it("keeps a zero row for a document without known n-grams and sorted columns in every row", () => {
    const { matrix } = fitTransform(docs, unigrams);
    expect(matrix.indptr[5]! - matrix.indptr[4]!).toBe(0);
    for (let row = 0; row < matrix.rows; row++) {
      const columns = Array.from(matrix.indices.subarray(matrix.indptr[row], matrix.indptr[row + 1]));
      expect(columns).toEqual([...columns].sort((a, b) => a - b));
    }
  });

  it("caps the vocabulary at maxFeatures by corpus frequency, keeping it sorted", () => {
    const vectorizer = fitVectorizer(docs, { ...unigrams, maxFeatures: 3 });
    // Totals: cat 5, the 3, dog 2, sat 2 (dog before sat on the tie), the rest 1.
    expect(vectorizer.vocabulary).toEqual(["cat", "dog", "the"]);
  });

  it("transform gives the fitted rows for the training documents and ignores unknown n-grams", () => {
    const params: VectorizerParams = { ngramRange: [1, 2], minDf: 1, maxDf: 1.0, sublinearTf: true };
    const { vectorizer, matrix } = fitTransform(docs, params);
    expectClose(dense(transform(vectorizer, docs)), dense(matrix));
    expectClose(dense(transform(vectorizer, ["zebra cat"])), dense(transform(vectorizer, ["cat"])));
  });

  it.each<[number, number]>([
    [1, 3],
    [2, 3],
    [3, 3],
  ])("builds the vocabulary of ngramRange [%d, %d] that the string n-grams give", (minN, maxN) => {
    const corpus = topicCorpus(5, 9).map((doc) => doc.text);
    const expected = new Map<string, number>();
    for (const doc of corpus) {
      for (const ngram of new Set(ngrams(tokenize(doc), [minN, maxN])))
        expected.set(ngram, (expected.get(ngram) ?? 0) + 1);
    }
    const params: VectorizerParams = { ngramRange: [minN, maxN], minDf: 2, maxDf: 1.0, sublinearTf: false };
    const kept = [...expected].filter(([, df]) => df >= 2).map(([ngram]) => ngram);
    expect(fitVectorizer(corpus, params).vocabulary).toEqual(kept.sort());
  });

  it.each<[Partial<VectorizerParams>, RegExp]>([
    [{ ngramRange: [2, 1] }, /ngramRange/],
    [{ minDf: 0 }, /minDf/],
    [{ minDf: 1.5 }, /minDf/],
    [{ maxDf: -1 }, /maxDf/],
    [{ maxFeatures: 0 }, /maxFeatures/],
    [{ minDf: 10 }, /no n-gram is left/],
  ])("rejects %j with a clear error", (overrides, message) => {
    expect(() => fitVectorizer(docs, { ...unigrams, ...overrides })).toThrow(VectorizerParamsError);
    expect(() => fitVectorizer(docs, { ...unigrams, ...overrides })).toThrow(message);
  });

  it("smoothIdf is ln((1 + n) / (1 + df)) + 1", () => {
    expect(smoothIdf(9, 4)).toBeCloseTo(Math.log(2) + 1, 12);
  });
});

describe("chi2 feature selection", () => {
  it("scores columns as scikit-learn's chi2: Σ (observed − expected)² / expected", () => {
    const X: Csr = {
      rows: 4,
      cols: 2,
      indptr: Int32Array.from([0, 1, 3, 4, 5]),
      indices: Int32Array.from([0, 0, 1, 1, 1]),
      values: Float64Array.from([1, 1, 1, 1, 2]),
    };
    // class 0 = rows 0,1; class 1 = rows 2,3. Column 0: observed (2, 0), expected (1, 1) → 2.
    // Column 1: observed (1, 3), expected (2, 2) → 0.5 + 0.5 = 1.
    expect(Array.from(chi2Scores(X, Int32Array.from([0, 0, 1, 1])))).toEqual([2, 1]);
  });

  it("keeps the n-grams that tell the labels apart, not the most frequent ones", () => {
    const docs = [
      "the the the ball goal",
      "the the the goal match",
      "the the the ball match",
      "the the the rocket orbit",
      "the the the orbit launch",
      "the the the rocket launch",
    ];
    const labels = Int32Array.from([0, 0, 0, 1, 1, 1]);
    const params: VectorizerParams = {
      ngramRange: [1, 1],
      minDf: 1,
      maxDf: 1.0,
      sublinearTf: false,
      maxFeatures: 2,
    };
    const byFrequency = fitTransform(docs, params).vectorizer.vocabulary;
    const byChi2 = fitTransform(docs, { ...params, selection: "chi2" }, undefined, labels).vectorizer
      .vocabulary;
    expect(byFrequency).toContain("the");
    expect(byChi2).not.toContain("the");
    expect(byChi2).toHaveLength(2);
    expect(() => fitTransform(docs, { ...params, selection: "chi2" })).toThrow(/labels/);
  });
});
