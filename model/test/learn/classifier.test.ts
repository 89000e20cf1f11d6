import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ClassifierParamsError, encodeLabels, fitClassifier, fitTransform } from "../../src/learn/index.js";
import type { ClassifierParams } from "../../src/types.js";
import { topicCorpus } from "./helpers.js";

const docs = topicCorpus(30, 5, 0.12);
const { matrix } = fitTransform(
  docs.map((doc) => doc.text),
  { ngramRange: [1, 2], minDf: 2, maxDf: 1.0, sublinearTf: true },
);
const { labels, y } = encodeLabels(docs);
const params: ClassifierParams = { Cs: [0.01, 1, 100], folds: 3, maxIter: 100, tol: 1e-4 };
const sha256 = (array: Float64Array) => createHash("sha256").update(array).digest("hex");

describe("fitClassifier", () => {
  it("scores every C by mean held-out accuracy and picks the best, reporting each fit", async () => {
    const events: string[] = [];
    const fitted = await fitClassifier(matrix, y, labels, params, (event) => events.push(event.stage), {
      threads: 1,
    });
    const { Cs, meanAccuracy } = fitted.crossValidation;
    expect(Cs).toEqual([0.01, 1, 100]);
    const best = meanAccuracy.indexOf(Math.max(...meanAccuracy));
    expect(fitted.C).toBe(Cs[best]);
    expect(meanAccuracy[best]).toBeGreaterThan(0.8);
    expect(events).toEqual([...Array<string>(9).fill("cv"), "refit"]);
    expect(fitted.coef.length).toBe(matrix.cols * labels.length);
    expect(fitted.intercept.length).toBe(labels.length);
  });

  it("takes the first C on ties and searches the grid in ascending order", async () => {
    // With all-zero features every C predicts the majority class: equal accuracy everywhere.
    const blank = { ...matrix, values: new Float64Array(matrix.values.length) };
    const fitted = await fitClassifier(blank, y, labels, { ...params, Cs: [100, 1, 0.01] }, undefined, {
      threads: 1,
    });
    expect(fitted.crossValidation.Cs).toEqual([0.01, 1, 100]);
    expect(fitted.C).toBe(0.01);
  });

  // Two threads fit folds in pairs, then split a last odd fold's and the refit's evaluations.
  it.each([2, 3, 5])("is deterministic, and the same with one thread or two (%i folds)", async (folds) => {
    const foldParams = { ...params, folds };
    const one = await fitClassifier(matrix, y, labels, foldParams, undefined, { threads: 1 });
    const again = await fitClassifier(matrix, y, labels, foldParams, undefined, { threads: 1 });
    const two = await fitClassifier(matrix, y, labels, foldParams, undefined, { threads: 2 });
    expect(sha256(again.coef)).toBe(sha256(one.coef));
    expect(sha256(two.coef)).toBe(sha256(one.coef));
    expect(Array.from(two.intercept)).toEqual(Array.from(one.intercept));
    expect(two.crossValidation.meanAccuracy).toEqual(one.crossValidation.meanAccuracy);
  });

  it("reports every fold's fits with two threads", async () => {
    const messages: string[] = [];
    await fitClassifier(matrix, y, labels, params, (event) => messages.push(event.message), { threads: 2 });
    for (let fold = 1; fold <= params.folds; fold++) {
      expect(messages.filter((message) => message.startsWith(`fold ${fold}/3,`))).toHaveLength(3);
    }
    expect(messages.at(-1)).toMatch(/^refit/);
  });

  it.each<[string, Partial<ClassifierParams>, RegExp]>([
    ["empty grid", { Cs: [] }, /Cs/],
    ["negative C", { Cs: [1, -1] }, /Cs/],
    ["one fold", { folds: 1 }, /folds/],
    ["zero iterations", { maxIter: 0 }, /maxIter/],
  ])("rejects %s", async (_, overrides, message) => {
    await expect(fitClassifier(matrix, y, labels, { ...params, ...overrides })).rejects.toThrow(message);
  });

  it("rejects labels that do not fit the rows", async () => {
    await expect(fitClassifier(matrix, y.subarray(1), labels, params)).rejects.toThrow(ClassifierParamsError);
    await expect(fitClassifier(matrix, y, ["only"], params)).rejects.toThrow(/at least 2 labels/);
  });
});
