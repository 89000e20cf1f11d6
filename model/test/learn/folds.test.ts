import { describe, expect, it } from "vitest";
import { splitRows, stratifiedFolds } from "../../src/learn/folds.js";

describe("stratifiedFolds", () => {
  it("assigns the folds scikit-learn's StratifiedKFold(3) gives", () => {
    // Printed by scikit-learn 1.2.1: StratifiedKFold(3).split(X, y) → test fold of each sample.
    const y = Int32Array.from([2, 0, 0, 1, 2, 2, 0, 1, 1, 1, 0, 2, 2, 0, 1, 0, 2]);
    expect(Array.from(stratifiedFolds(y, 3))).toEqual([0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
  });

  it("keeps each class's share in every fold", () => {
    const y = Int32Array.from({ length: 100 }, (_, i) => (i % 10 < 7 ? 0 : 1));
    const folds = stratifiedFolds(y, 5);
    for (let fold = 0; fold < 5; fold++) {
      const { train, test } = splitRows(folds, fold);
      expect(test.length).toBe(20);
      expect(train.length).toBe(80);
      expect(Array.from(test).filter((row) => y[row] === 1).length).toBe(6);
    }
  });

  it("rejects fewer than 2 folds or more folds than samples", () => {
    expect(() => stratifiedFolds(Int32Array.from([0, 1, 0]), 1)).toThrow(/folds/);
    expect(() => stratifiedFolds(Int32Array.from([0, 1, 0]), 4)).toThrow(/cannot split 3 samples/);
  });
});
