/**
 * scikit-learn's side of bench:service, measured in the same invocation on the same documents by
 * sklearn_serving.py (the seed's pipeline, see its docstring). The pipeline stays loaded in one Python
 * process that answers one slice of a pass at a time, so the bench can alternate it with ours. When Debian's
 * python3-sklearn is not installed or the process fails, the reason is returned instead of any number.
 */
import { existsSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { exec, start } from "@textcat/kit/process";
import { median, round, sum } from "./stats.js";

export interface SklearnIdentity {
  sklearnVersion: string;
  python: string;
  fitSeconds: number | null;
  modelBytes: number;
  documents: number;
}

export interface SinglePass {
  ms: number[];
  cpuMs: number[];
}

export interface BatchPass {
  documents: number;
  seconds: number;
  cpuSeconds: number;
}

export interface ColdLoad {
  ms: number;
  cpuMs: number;
}

/** [from, to) of a list. */
export type Slice = readonly [number, number];

/** One loaded scikit-learn pipeline, measured one pass (or slice of a pass) per call. */
export interface SklearnReference {
  identity: SklearnIdentity;
  /** Its process, to pin beside ours (pin.ts). */
  pid: number;
  /** The single documents [from, to) of the first 500, or all of them. */
  singlePass(range?: Slice): Promise<SinglePass>;
  /** The batches of 100 [from, to), or all of them. */
  batchPass(range?: Slice): Promise<BatchPass>;
  coldLoad(): Promise<ColdLoad>;
  close(): Promise<void>;
}

export type SklearnOutcome = { ran: true; reference: SklearnReference } | { ran: false; reason: string };

const PYTHON = "/usr/bin/python3";
const SCRIPT = resolve(import.meta.dirname, "sklearn_serving.py");

export async function startSklearn(
  archive: string,
  docs: string[],
  workDir: string,
): Promise<SklearnOutcome> {
  if (!existsSync(archive)) return { ran: false, reason: `no 20news archive at ${archive}` };
  if (!existsSync(PYTHON)) return { ran: false, reason: `${PYTHON} is not installed` };
  const probe = await exec(PYTHON, ["-c", "import sklearn, joblib"], { quiet: true });
  if (probe.code !== 0) {
    return {
      ran: false,
      reason: "scikit-learn is not installed for /usr/bin/python3 (apt-get install -y python3-sklearn)",
    };
  }
  const docsPath = resolve(workDir, "docs.json");
  writeFileSync(docsPath, JSON.stringify({ test: docs }));
  const { child, exited } = start(PYTHON, [
    SCRIPT,
    "--archive",
    archive,
    "--docs",
    docsPath,
    "--cache",
    workDir,
  ]);
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const failure = (what: string) => new Error(`sklearn_serving.py ${what}: ${stderr.trim().slice(-300)}`);
  const next = async (): Promise<Record<string, unknown>> => {
    const line = await lines.next();
    if (line.done) throw failure("ended early");
    const answer = JSON.parse(line.value) as Record<string, unknown>;
    if (typeof answer.error === "string") throw failure(answer.error);
    return answer;
  };
  const ask = async <T>(command: string): Promise<T> => {
    child.stdin!.write(`${command}\n`);
    return (await next()) as T;
  };
  let identity: SklearnIdentity;
  try {
    identity = (await next()) as unknown as SklearnIdentity;
  } catch (error) {
    await exited.catch(() => undefined);
    return { ran: false, reason: (error as Error).message };
  }
  return {
    ran: true,
    reference: {
      identity,
      pid: child.pid!,
      singlePass: (range) => ask<SinglePass>(["single", ...(range ?? [])].join(" ")),
      batchPass: (range) => ask<BatchPass>(["batch", ...(range ?? [])].join(" ")),
      coldLoad: () => ask<ColdLoad>("cold"),
      close: async () => {
        child.stdin!.end();
        await exited;
      },
    },
  };
}

/** What the bench prints for scikit-learn: its passes of this run pooled, as for ours. */
export interface SklearnServing extends SklearnIdentity {
  singleP50Ms: number;
  singleCpuP50Ms: number;
  singleRequests: number;
  batchDocsPerSecond: number;
  batchDocsPerCpuSecond: number;
  coldLoadMs: number;
  coldLoadCpuMs: number;
}

export interface SklearnPasses {
  singles: SinglePass[];
  batches: BatchPass[];
  colds: ColdLoad[];
}

export function summarizeSklearn(identity: SklearnIdentity, passes: SklearnPasses): SklearnServing {
  const documents = sum(passes.batches.map((pass) => pass.documents));
  return {
    ...identity,
    singleP50Ms: round(median(passes.singles.flatMap((pass) => pass.ms)), 4),
    singleCpuP50Ms: round(median(passes.singles.flatMap((pass) => pass.cpuMs)), 4),
    singleRequests: sum(passes.singles.map((pass) => pass.ms.length)),
    batchDocsPerSecond: Math.round(documents / sum(passes.batches.map((pass) => pass.seconds))),
    batchDocsPerCpuSecond: Math.round(documents / sum(passes.batches.map((pass) => pass.cpuSeconds))),
    coldLoadMs: round(median(passes.colds.map((load) => load.ms)), 1),
    coldLoadCpuMs: round(median(passes.colds.map((load) => load.cpuMs)), 1),
  };
}
