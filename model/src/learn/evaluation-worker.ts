/** Worker thread: computes the second half of each objective evaluation on request (see shared-objective.ts). */
import { parentPort, workerData } from "node:worker_threads";
import { COMMAND, CONTROL, type SharedBuffers } from "./shared-objective.js";
import { softmaxKernel } from "./softmax-kernel.js";

const { X, y, classes, weights, gradient, rows, control, loss } = workerData as SharedBuffers;
const scratch = new Float64Array(classes);
const kernel = softmaxKernel(classes);
let seen = 0;
parentPort?.postMessage("ready");
for (;;) {
  Atomics.wait(control, CONTROL.generation, seen);
  seen = Atomics.load(control, CONTROL.generation);
  if (Atomics.load(control, CONTROL.command) === COMMAND.exit) break;
  const from = Atomics.load(control, CONTROL.from);
  const to = Atomics.load(control, CONTROL.to);
  gradient.fill(0);
  loss[0] = kernel(X, y, classes, rows, from, to, weights, gradient, scratch);
  Atomics.store(control, CONTROL.done, seen);
  Atomics.notify(control, CONTROL.done);
}
