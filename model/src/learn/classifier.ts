/**
 * scikit-learn's LogisticRegressionCV (multinomial, lbfgs): for each stratified fold, fit along the
 * ascending C grid warm-starting each C from the previous solution, score accuracy on the held-out
 * fold; pick the C with the best mean accuracy (first on ties); refit on all rows at that C starting
 * from the mean of the folds' solutions there.
 */
import { availableParallelism } from "node:os";
import type { ClassifierParams, FittedClassifier } from "../types.js";
import type { Csr } from "./csr.js";
import { splitRows, stratifiedFolds } from "./folds.js";
import { LbfgsWorkspace, minimizeLbfgs } from "./lbfgs.js";
import type { OnProgress } from "./progress.js";
import { createSharedBuffers } from "./shared-buffers.js";
import { InlineRunner, type SecondHalfRunner, SoftmaxObjective } from "./shared-objective.js";
import { predictRows } from "./softmax-loss.js";
import { WorkerRunner } from "./worker-runner.js";

export class ClassifierParamsError extends Error {
  override name = "ClassifierParamsError";
}

export interface FitOptions {
  /** 1: everything on this thread; 2: each evaluation split with a worker thread. Same result either way. */
  threads?: 1 | 2;
}

export interface CrossValidationResult {
  /** Ascending C grid searched. */
  Cs: number[];
  /** meanAccuracy[i]: mean held-out accuracy over the folds at Cs[i]. */
  meanAccuracy: number[];
  /** Wall-clock seconds of the cross-validation fits and of the final refit. */
  cvSeconds: number;
  refitSeconds: number;
}

export type FittedClassifierWithCv = FittedClassifier & { crossValidation: CrossValidationResult };

export async function fitClassifier(
  X: Csr,
  y: Int32Array,
  labels: string[],
  params: ClassifierParams,
  onProgress?: OnProgress,
  options: FitOptions = {},
): Promise<FittedClassifierWithCv> {
  validate(X, y, labels, params);
  const classes = labels.length;
  const buffers = createSharedBuffers(X, y, classes);
  const threads = options.threads ?? (availableParallelism() >= 2 ? 2 : 1);
  let runner: SecondHalfRunner = new InlineRunner(buffers);
  let worker: WorkerRunner | undefined;
  if (threads === 2) {
    worker = await WorkerRunner.start(buffers);
    runner = worker;
  }
  try {
    return await crossValidateAndRefit(
      new SoftmaxObjective(buffers, runner),
      buffers.X,
      y,
      labels,
      params,
      onProgress,
    );
  } finally {
    await worker?.stop();
  }
}

async function crossValidateAndRefit(
  objective: SoftmaxObjective,
  X: Csr,
  y: Int32Array,
  labels: string[],
  params: ClassifierParams,
  onProgress?: OnProgress,
): Promise<FittedClassifierWithCv> {
  const classes = labels.length;
  const Cs = [...params.Cs].sort((a, b) => a - b);
  const workspace = new LbfgsWorkspace(objective.dimension);
  const lbfgsOptions = { maxIterations: params.maxIter, gradientTolerance: params.tol };
  const testFold = stratifiedFolds(y, params.folds);
  const accuracySum = new Float64Array(Cs.length);
  const solutionSum = Cs.map(() => new Float64Array(objective.dimension));
  const scratch = new Float64Array(classes);
  const total = params.folds * Cs.length + 1;
  let done = 0;
  const cvStart = performance.now();
  for (let fold = 0; fold < params.folds; fold++) {
    const { train, test } = splitRows(testFold, fold);
    objective.setRows(train);
    const weights = new Float64Array(objective.dimension);
    for (const [i, C] of Cs.entries()) {
      // Each fit runs synchronously; yield between fits so signals (Ctrl-C) and I/O are handled.
      await yieldToEventLoop();
      objective.setC(C);
      const result = minimizeLbfgs(objective.evaluate, weights, lbfgsOptions, workspace);
      const predicted = predictRows(X, classes, test, weights, scratch);
      let correct = 0;
      predicted.forEach((label, r) => (correct += label === y[test[r]!] ? 1 : 0));
      const accuracy = correct / test.length;
      accuracySum[i] = accuracySum[i]! + accuracy;
      const sum = solutionSum[i]!;
      for (let j = 0; j < sum.length; j++) sum[j] = sum[j]! + weights[j]!;
      onProgress?.({
        stage: "cv",
        message:
          `fold ${fold + 1}/${params.folds}, C=${C.toPrecision(4)}: ${result.iterations} iterations ` +
          `(${result.reason}), held-out accuracy ${accuracy.toFixed(4)}`,
        done: ++done,
        total,
      });
    }
  }
  const meanAccuracy = Array.from(accuracySum, (sum) => sum / params.folds);
  let best = 0;
  meanAccuracy.forEach((accuracy, i) => {
    if (accuracy > meanAccuracy[best]!) best = i;
  });
  const C = Cs[best]!;
  const refitStart = performance.now();
  const weights = solutionSum[best]!.map((sum) => sum / params.folds);
  objective.setRows(Int32Array.from({ length: X.rows }, (_, row) => row));
  objective.setC(C);
  await yieldToEventLoop();
  const result = minimizeLbfgs(objective.evaluate, weights, lbfgsOptions, workspace);
  onProgress?.({
    stage: "refit",
    message: `refit on ${X.rows} documents at C=${C.toPrecision(4)}: ${result.iterations} iterations (${result.reason})`,
    done: ++done,
    total,
  });
  const coefCount = X.cols * classes;
  return {
    labels: [...labels],
    coef: weights.slice(0, coefCount),
    intercept: weights.slice(coefCount),
    C,
    crossValidation: {
      Cs,
      meanAccuracy,
      cvSeconds: (refitStart - cvStart) / 1000,
      refitSeconds: (performance.now() - refitStart) / 1000,
    },
  };
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function validate(X: Csr, y: Int32Array, labels: string[], params: ClassifierParams): void {
  if (labels.length < 2) throw new ClassifierParamsError(`need at least 2 labels, got ${labels.length}`);
  if (y.length !== X.rows) {
    throw new ClassifierParamsError(`${X.rows} rows but ${y.length} labels`);
  }
  for (const label of y) {
    if (!(label >= 0 && label < labels.length)) {
      throw new ClassifierParamsError(`label index ${label} is outside 0..${labels.length - 1}`);
    }
  }
  if (params.Cs.length === 0 || !params.Cs.every((C) => Number.isFinite(C) && C > 0)) {
    throw new ClassifierParamsError(`Cs must be a non-empty list of positive numbers`);
  }
  if (!Number.isInteger(params.folds) || params.folds < 2 || params.folds > X.rows) {
    throw new ClassifierParamsError(`folds must be an integer in 2..${X.rows}, got ${params.folds}`);
  }
  if (!Number.isInteger(params.maxIter) || params.maxIter < 1) {
    throw new ClassifierParamsError(`maxIter must be a positive integer, got ${params.maxIter}`);
  }
  if (!(params.tol >= 0)) throw new ClassifierParamsError(`tol must be >= 0, got ${params.tol}`);
}
