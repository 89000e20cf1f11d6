/** Worker thread: computes the second half of each objective evaluation on request (see shared-objective.ts). */
import { parentPort, workerData } from "node:worker_threads";
import { CONTROL, type SharedLayout, viewSharedBuffers } from "./shared-buffers.js";
import { COMMAND, evaluateSecondHalf, secondHalfKernel } from "./shared-objective.js";

export interface EvaluationWorkerData {
  memory: WebAssembly.Memory;
  layout: SharedLayout;
}

if (parentPort) {
  const { memory, layout } = workerData as EvaluationWorkerData;
  const buffers = viewSharedBuffers(memory, layout);
  const { control } = buffers;
  const kernel = secondHalfKernel(buffers);
  let seen = 0;
  parentPort.postMessage("ready");
  for (;;) {
    Atomics.wait(control, CONTROL.generation, seen);
    seen = Atomics.load(control, CONTROL.generation);
    if (Atomics.load(control, CONTROL.command) === COMMAND.exit) break;
    evaluateSecondHalf(
      buffers,
      kernel,
      Atomics.load(control, CONTROL.from),
      Atomics.load(control, CONTROL.to),
    );
    Atomics.store(control, CONTROL.done, seen);
    Atomics.notify(control, CONTROL.done);
  }
}
