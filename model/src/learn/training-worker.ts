/**
 * Worker thread of the training. On request it fits a whole cross-validation fold on its own objective
 * slot, or it serves the main thread's objective the second half of each evaluation, synchronised
 * through Atomics (see shared-objective.ts) until told to exit.
 */
import { parentPort, workerData } from "node:worker_threads";
import { type FoldFit, type FoldTask, fitFold } from "./cv-fold.js";
import { LbfgsWorkspace } from "./lbfgs.js";
import { CONTROL, type SharedLayout, viewSharedBuffers } from "./shared-buffers.js";
import {
  COMMAND,
  evaluateSecondHalf,
  InlineRunner,
  secondHalfKernel,
  SoftmaxObjective,
} from "./shared-objective.js";

export interface TrainingWorkerData {
  memory: WebAssembly.Memory;
  layout: SharedLayout;
}

export type ToWorker = { kind: "fold"; task: FoldTask } | { kind: "serve" };
export type FromWorker =
  | { kind: "ready" }
  | { kind: "fit"; fit: FoldFit }
  | { kind: "foldDone" }
  | { kind: "failed"; message: string };

/** The objective slot of the folds this thread fits; the main thread's is 0. */
const WORKER_SLOT = 1;

if (parentPort) {
  const port = parentPort;
  const post = (message: FromWorker) => port.postMessage(message);
  const { memory, layout } = workerData as TrainingWorkerData;
  const buffers = viewSharedBuffers(memory, layout, WORKER_SLOT);
  const objective = new SoftmaxObjective(buffers, new InlineRunner(buffers));
  let workspace: LbfgsWorkspace | undefined;
  port.on("message", (message: ToWorker) => {
    if (message.kind === "serve") {
      serveSecondHalves(memory, layout);
      port.close();
      return;
    }
    workspace ??= new LbfgsWorkspace(objective.dimension);
    fitFold(objective, workspace, buffers.X, buffers.y, message.task, (fit) =>
      post({ kind: "fit", fit }),
    ).then(
      () => post({ kind: "foldDone" }),
      (error: unknown) =>
        post({ kind: "failed", message: error instanceof Error ? error.message : String(error) }),
    );
  });
  post({ kind: "ready" });
}

function serveSecondHalves(memory: WebAssembly.Memory, layout: SharedLayout): void {
  const buffers = viewSharedBuffers(memory, layout, 0);
  const { control } = buffers;
  const kernel = secondHalfKernel(buffers);
  let seen = 0;
  for (;;) {
    Atomics.wait(control, CONTROL.generation, seen);
    seen = Atomics.load(control, CONTROL.generation);
    if (Atomics.load(control, CONTROL.command) === COMMAND.exit) return;
    const from = Atomics.load(control, CONTROL.from);
    evaluateSecondHalf(buffers, kernel, from, Atomics.load(control, CONTROL.to));
    Atomics.store(control, CONTROL.done, seen);
    Atomics.notify(control, CONTROL.done);
  }
}
