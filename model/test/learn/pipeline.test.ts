import { describe, expect, it } from "vitest";
import { CONFIGS, fitPipeline, logspace, predictProba } from "../../src/learn/index.js";
import type { TrainConfig } from "../../src/types.js";
import { topicCorpus } from "./helpers.js";

const small: TrainConfig = {
  name: "small",
  vectorizer: { ngramRange: [1, 2], minDf: 2, maxDf: 1.0, sublinearTf: true },
  classifier: { Cs: logspace(-2, 2, 5), folds: 3, maxIter: 100, tol: 1e-4 },
};

describe("fitPipeline", () => {
  it("learns a generated corpus and predicts held-out documents well", async () => {
    const train = topicCorpus(40, 1, 0.12);
    const test = topicCorpus(25, 2, 0.12);
    const { vectorizer, classifier, timings } = await fitPipeline(train, small, undefined, { threads: 1 });
    expect(classifier.labels).toEqual(["cars", "crypto", "hockey", "space"]);
    const prediction = predictProba(
      vectorizer,
      classifier,
      test.map((doc) => doc.text),
    );
    const correct = prediction.labels.filter((label, i) => label === test[i]!.label).length;
    expect(correct / test.length).toBeGreaterThan(0.9);
    expect(timings.totalSeconds).toBeGreaterThanOrEqual(timings.vectorizeSeconds);
  });

  it("predictProba gives probability rows that sum to 1 and agree with the labels", async () => {
    const { vectorizer, classifier } = await fitPipeline(topicCorpus(20, 3), small, undefined, {
      threads: 1,
    });
    const texts = ["nasa launch orbit", "puck goalie rink", "", "unknown words only"];
    const { labels, probabilities } = predictProba(vectorizer, classifier, texts);
    const classes = classifier.labels.length;
    expect(probabilities.length).toBe(texts.length * classes);
    texts.forEach((_, row) => {
      const rowProbabilities = Array.from(probabilities.subarray(row * classes, (row + 1) * classes));
      expect(rowProbabilities.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 12);
      expect(labels[row]).toBe(classifier.labels[rowProbabilities.indexOf(Math.max(...rowProbabilities))]);
    });
    expect(labels.slice(0, 2)).toEqual(["space", "hockey"]);
  });
});

describe("CONFIGS", () => {
  it("seed is scikit-learn's recipe: min_df 30, 1–2-grams, sublinear tf, 10 Cs from 1e-4 to 1e4, 5 folds", () => {
    expect(CONFIGS.seed.vectorizer).toEqual({ ngramRange: [1, 2], minDf: 30, maxDf: 1.0, sublinearTf: true });
    expect(CONFIGS.seed.classifier).toMatchObject({ folds: 5, maxIter: 100, tol: 1e-4 });
    expect(CONFIGS.seed.classifier.Cs.length).toBe(10);
    expect(CONFIGS.seed.classifier.Cs[0]).toBe(1e-4);
    expect(CONFIGS.seed.classifier.Cs[9]).toBe(1e4);
    expect(CONFIGS.seed.classifier.Cs[7]).toBeCloseTo(166.81005372000556, 9);
  });
});
