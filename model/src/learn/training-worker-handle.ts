/**
 * The main thread's handle on the training worker (training-worker.ts): it fits whole folds on
 * request (messages), then serves the second half of each evaluation (Atomics).
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { FoldFit, FoldTask } from "./cv-fold.js";
import { CONTROL, type SharedBuffers } from "./shared-buffers.js";
import { COMMAND, type SecondHalfRunner } from "./shared-objective.js";
import type { FromWorker, ToWorker, TrainingWorkerData } from "./training-worker.js";

const READY_TIMEOUT_MS = 60_000;
/** An evaluation takes well under a second; a worker silent this long has died. */
const EVALUATION_TIMEOUT_MS = 600_000;

export class TrainingWorker {
  private serving = false;

  private constructor(
    private readonly worker: Worker,
    private readonly control: Int32Array,
  ) {}

  /** Starts the worker and resolves once it is ready to take work. */
  static async start(buffers: SharedBuffers): Promise<TrainingWorker> {
    const worker = createWorker(buffers);
    worker.unref();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("training worker did not start")), READY_TIMEOUT_MS);
      worker.once("message", () => {
        clearTimeout(timer);
        resolve();
      });
      worker.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
    }).catch(async (error: unknown) => {
      await worker.terminate();
      throw error;
    });
    return new TrainingWorker(worker, buffers.control);
  }

  /** Fits a fold on the worker's objective slot, reporting each C's fit as it arrives. */
  fitFold(task: FoldTask, onFit: (fit: FoldFit) => void): Promise<FoldFit[]> {
    if (this.serving) return Promise.reject(new Error("the worker is serving evaluations"));
    const { worker } = this;
    const fits: FoldFit[] = [];
    return new Promise<FoldFit[]>((resolve, reject) => {
      const settle = (error?: Error) => {
        worker.off("message", onMessage).off("error", settle).off("exit", onExit);
        worker.unref();
        if (error) reject(error);
        else resolve(fits);
      };
      const onMessage = (message: FromWorker) => {
        if (message.kind === "fit") {
          fits.push(message.fit);
          onFit(message.fit);
        } else if (message.kind === "foldDone") settle();
        else if (message.kind === "failed") settle(new Error(`training worker: ${message.message}`));
      };
      const onExit = (code: number) => settle(new Error(`training worker exited with code ${code}`));
      // Referenced while a fold is pending: the result must keep the process alive.
      worker.ref();
      worker.on("message", onMessage).on("error", settle).on("exit", onExit);
      worker.postMessage({ kind: "fold", task } satisfies ToWorker);
    });
  }

  /** Switches the worker to computing the second half of slot 0's evaluations, until `stop`. */
  serveEvaluations(): SecondHalfRunner {
    this.serving = true;
    this.worker.postMessage({ kind: "serve" } satisfies ToWorker);
    return new AtomicsRunner(this.control);
  }

  async stop(): Promise<void> {
    if (this.serving) signal(this.control, COMMAND.exit);
    await this.worker.terminate();
  }
}

function signal(control: Int32Array, command: number): number {
  Atomics.store(control, CONTROL.command, command);
  const next = Atomics.load(control, CONTROL.generation) + 1;
  Atomics.store(control, CONTROL.generation, next);
  Atomics.notify(control, CONTROL.generation);
  return next;
}

class AtomicsRunner implements SecondHalfRunner {
  private generation = 0;

  constructor(private readonly control: Int32Array) {}

  start(from: number, to: number): void {
    Atomics.store(this.control, CONTROL.from, from);
    Atomics.store(this.control, CONTROL.to, to);
    this.generation = signal(this.control, COMMAND.evaluate);
  }

  wait(): void {
    for (;;) {
      const done = Atomics.load(this.control, CONTROL.done);
      if (done === this.generation) return;
      if (Atomics.wait(this.control, CONTROL.done, done, EVALUATION_TIMEOUT_MS) === "timed-out") {
        throw new Error("training worker stopped responding");
      }
    }
  }
}

/**
 * From compiled JavaScript the worker module loads directly. From TypeScript source (under tsx or
 * vitest) it needs tsx's loader, which a worker only gets by registering it before importing.
 */
function createWorker(buffers: SharedBuffers): Worker {
  const workerData: TrainingWorkerData = { memory: buffers.memory, layout: buffers.layout };
  if (!import.meta.url.endsWith(".ts")) {
    return new Worker(new URL("./training-worker.js", import.meta.url), { workerData });
  }
  // tsx's "tsx/esm/api" resolves to its CommonJS build under require(); the ESM build sits next to it.
  const tsxApi = pathToFileURL(
    join(dirname(createRequire(import.meta.url).resolve("tsx/esm/api")), "index.mjs"),
  ).href;
  const workerModule = new URL("./training-worker.ts", import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(workerModule)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
