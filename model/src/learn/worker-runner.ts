/** Runs the second half of each objective evaluation on a worker thread, synchronised through Atomics. */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { CONTROL, type SharedBuffers } from "./shared-buffers.js";
import type { EvaluationWorkerData } from "./evaluation-worker.js";
import { COMMAND, type SecondHalfRunner } from "./shared-objective.js";

const READY_TIMEOUT_MS = 60_000;
/** An evaluation takes well under a second; a worker silent this long has died. */
const EVALUATION_TIMEOUT_MS = 600_000;

export class WorkerRunner implements SecondHalfRunner {
  private generation = 0;

  private constructor(
    private readonly worker: Worker,
    private readonly control: Int32Array,
  ) {}

  /** Starts the worker and resolves once it is ready to take work. */
  static async start(buffers: SharedBuffers): Promise<WorkerRunner> {
    const worker = createWorker(buffers);
    worker.unref();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("evaluation worker did not start")), READY_TIMEOUT_MS);
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
    return new WorkerRunner(worker, buffers.control);
  }

  start(from: number, to: number): void {
    Atomics.store(this.control, CONTROL.command, COMMAND.evaluate);
    Atomics.store(this.control, CONTROL.from, from);
    Atomics.store(this.control, CONTROL.to, to);
    this.generation++;
    Atomics.store(this.control, CONTROL.generation, this.generation);
    Atomics.notify(this.control, CONTROL.generation);
  }

  wait(): void {
    for (;;) {
      const done = Atomics.load(this.control, CONTROL.done);
      if (done === this.generation) return;
      if (Atomics.wait(this.control, CONTROL.done, done, EVALUATION_TIMEOUT_MS) === "timed-out") {
        throw new Error("evaluation worker stopped responding");
      }
    }
  }

  async stop(): Promise<void> {
    Atomics.store(this.control, CONTROL.command, COMMAND.exit);
    this.generation++;
    Atomics.store(this.control, CONTROL.generation, this.generation);
    Atomics.notify(this.control, CONTROL.generation);
    await this.worker.terminate();
  }
}

/**
 * From compiled JavaScript the worker module loads directly. From TypeScript source (under tsx or
 * vitest) it needs tsx's loader, which a worker only gets by registering it before importing.
 */
function createWorker(buffers: SharedBuffers): Worker {
  const workerData: EvaluationWorkerData = { memory: buffers.memory, layout: buffers.layout };
  if (!import.meta.url.endsWith(".ts")) {
    return new Worker(new URL("./evaluation-worker.js", import.meta.url), { workerData });
  }
  // tsx's "tsx/esm/api" resolves to its CommonJS build under require(); the ESM build sits next to it.
  const tsxApi = pathToFileURL(
    join(dirname(createRequire(import.meta.url).resolve("tsx/esm/api")), "index.mjs"),
  ).href;
  const workerModule = new URL("./evaluation-worker.ts", import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(workerModule)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
