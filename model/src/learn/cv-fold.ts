/**
 * One fold of the cross-validation: fit along the ascending C grid, warm-starting each C from the
 * previous solution, and score each solution on the held-out rows. Runs on either thread.
 */
import type { Csr } from "./csr.js";
import { type LbfgsOptions, type LbfgsWorkspace, minimizeLbfgs, type StopReason } from "./lbfgs.js";
import type { SoftmaxObjective } from "./shared-objective.js";
import { predictRows } from "./softmax-loss.js";

export interface FoldFit {
  C: number;
  iterations: number;
  reason: StopReason;
  accuracy: number;
  /** The parameters fitted at C. */
  solution: Float64Array;
}

export interface FoldTask {
  train: Int32Array;
  test: Int32Array;
  /** Ascending. */
  Cs: number[];
  lbfgs: LbfgsOptions;
}

export async function fitFold(
  objective: SoftmaxObjective,
  workspace: LbfgsWorkspace,
  X: Csr,
  y: Int32Array,
  task: FoldTask,
  onFit: (fit: FoldFit) => void,
): Promise<FoldFit[]> {
  const { train, test, Cs, lbfgs } = task;
  objective.setRows(train);
  const weights = new Float64Array(objective.dimension);
  const scratch = new Float64Array(objective.classes);
  const fits: FoldFit[] = [];
  for (const C of Cs) {
    // Each fit runs synchronously; yield between fits so signals (Ctrl-C) and messages are handled.
    await yieldToEventLoop();
    objective.setC(C);
    const result = minimizeLbfgs(objective.evaluate, weights, lbfgs, workspace);
    const predicted = predictRows(X, objective.classes, test, weights, scratch);
    let correct = 0;
    predicted.forEach((label, r) => (correct += label === y[test[r]!] ? 1 : 0));
    const fit = {
      C,
      iterations: result.iterations,
      reason: result.reason,
      accuracy: correct / test.length,
      solution: Float64Array.from(weights),
    };
    fits.push(fit);
    onFit(fit);
  }
  return fits;
}

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
