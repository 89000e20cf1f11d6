/**
 * scikit-learn's LogisticRegressionCV (multinomial, lbfgs): for each stratified fold, fit along the
 * ascending C grid warm-starting each C from the previous solution, score accuracy on the held-out
 * fold; pick the C with the best mean accuracy (first on ties); refit on all rows at that C starting
 * from the mean of the folds' solutions there.
 */
import { availableParallelism } from "node:os";
import type { ClassifierParams, FittedClassifier } from "../types.js";
import type { Csr } from "./csr.js";
import { type FoldFit, type FoldTask, fitFold, yieldToEventLoop } from "./cv-fold.js";
import { splitRows, stratifiedFolds } from "./folds.js";
import { LbfgsWorkspace, minimizeLbfgs } from "./lbfgs.js";
import type { OnProgress } from "./progress.js";
import { createSharedBuffers, type SharedBuffers } from "./shared-buffers.js";
import { InlineRunner, SoftmaxObjective } from "./shared-objective.js";
import { TrainingWorker } from "./training-worker-handle.js";

export class ClassifierParamsError extends Error {
  override name = "ClassifierParamsError";
}

export interface FitOptions {
  /**
   * 1: everything on this thread. 2: folds fitted two at a time, one per thread; a last odd fold and
   * the refit split each evaluation with the worker thread. Same result either way.
   */
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
  const buffers = createSharedBuffers(X, y, labels.length);
  const threads = options.threads ?? (availableParallelism() >= 2 ? 2 : 1);
  const worker = threads === 2 ? await TrainingWorker.start(buffers) : undefined;
  try {
    return await crossValidateAndRefit(buffers, worker, labels, params, onProgress);
  } finally {
    await worker?.stop();
  }
}

async function crossValidateAndRefit(
  buffers: SharedBuffers,
  worker: TrainingWorker | undefined,
  labels: string[],
  params: ClassifierParams,
  onProgress?: OnProgress,
): Promise<FittedClassifierWithCv> {
  const { X, y, classes } = buffers;
  const Cs = [...params.Cs].sort((a, b) => a - b);
  let objective = new SoftmaxObjective(buffers, new InlineRunner(buffers));
  const workspace = new LbfgsWorkspace(objective.dimension);
  const lbfgs = { maxIterations: params.maxIter, gradientTolerance: params.tol };
  const testFold = stratifiedFolds(y, params.folds);
  const task = (fold: number): FoldTask => ({ ...splitRows(testFold, fold), Cs, lbfgs });
  const total = params.folds * Cs.length + 1;
  let done = 0;
  const report = (fold: number) => (fit: FoldFit) =>
    onProgress?.({
      stage: "cv",
      message:
        `fold ${fold + 1}/${params.folds}, C=${fit.C.toPrecision(4)}: ${fit.iterations} iterations ` +
        `(${fit.reason}), held-out accuracy ${fit.accuracy.toFixed(4)}`,
      done: ++done,
      total,
    });
  // Summed in fold order, whichever thread fitted the fold.
  const accuracySum = new Float64Array(Cs.length);
  const solutionSum = Cs.map(() => new Float64Array(objective.dimension));
  const add = (fits: FoldFit[]) =>
    fits.forEach((fit, i) => {
      accuracySum[i] = accuracySum[i]! + fit.accuracy;
      const sum = solutionSum[i]!;
      for (let j = 0; j < sum.length; j++) sum[j] = sum[j]! + fit.solution[j]!;
    });

  const cvStart = performance.now();
  let fold = 0;
  for (; worker && fold + 1 < params.folds; fold += 2) {
    const [remote, local] = await bothSettled(
      worker.fitFold(task(fold + 1), report(fold + 1)),
      fitFold(objective, workspace, X, y, task(fold), report(fold)),
    );
    add(local);
    add(remote);
  }
  if (worker) objective = new SoftmaxObjective(buffers, worker.serveEvaluations());
  for (; fold < params.folds; fold++)
    add(await fitFold(objective, workspace, X, y, task(fold), report(fold)));

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
  const result = minimizeLbfgs(objective.evaluate, weights, lbfgs, workspace);
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

/** Like Promise.all, but waits for both (no fit keeps running after its partner failed). */
async function bothSettled<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [first, second] = await Promise.allSettled([a, b]);
  if (first.status === "rejected") throw first.reason;
  if (second.status === "rejected") throw second.reason;
  return [first.value, second.value];
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
