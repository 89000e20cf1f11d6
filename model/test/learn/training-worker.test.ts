import { afterEach, describe, expect, it } from "vitest";
import type { FoldTask } from "../../src/learn/cv-fold.js";
import { createSharedBuffers } from "../../src/learn/shared-buffers.js";
import { TrainingWorker } from "../../src/learn/training-worker-handle.js";
import { randomCsr, seededRandom } from "./helpers.js";

const X = randomCsr(40, 6, 0.5, seededRandom(8));
const y = Int32Array.from({ length: X.rows }, (_, i) => i % 2);
const lbfgs = { maxIterations: 20, gradientTolerance: 1e-4 };
const task = (train: Int32Array): FoldTask => ({ train, test: Int32Array.of(0, 1), Cs: [0.1, 10], lbfgs });
let worker: TrainingWorker | undefined;

afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});

describe("TrainingWorker", () => {
  it("fits a fold and reports each C as it arrives", async () => {
    worker = await TrainingWorker.start(createSharedBuffers(X, y, 2));
    const reported: number[] = [];
    const fits = await worker.fitFold(task(Int32Array.from({ length: 38 }, (_, i) => i + 2)), (fit) =>
      reported.push(fit.C),
    );
    expect(reported).toEqual([0.1, 10]);
    expect(fits.map((fit) => fit.C)).toEqual([0.1, 10]);
    expect(fits[1]!.solution.some((value) => value !== 0)).toBe(true);
  });

  it("rejects with the worker's error when a fold fails there", async () => {
    worker = await TrainingWorker.start(createSharedBuffers(X, y, 2));
    await expect(worker.fitFold(task(Int32Array.of(1e9)), () => {})).rejects.toThrow(/^training worker: /);
  });

  it("takes no folds once it serves evaluations", async () => {
    worker = await TrainingWorker.start(createSharedBuffers(X, y, 2));
    worker.serveEvaluations();
    await expect(worker.fitFold(task(Int32Array.of(2, 3)), () => {})).rejects.toThrow(/serving evaluations/);
  });
});
