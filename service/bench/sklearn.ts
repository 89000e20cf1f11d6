/**
 * scikit-learn's side of bench:service, measured in the same invocation on the same documents by
 * sklearn_serving.py (the seed's pipeline, see its docstring). When Debian's python3-sklearn is not
 * installed or the run fails, the reason is returned instead of any number.
 */
import { existsSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { exec } from "@textcat/kit/process";

export interface SklearnServing {
  sklearnVersion: string;
  fitSeconds: number | null;
  modelBytes: number;
  documents: number;
  singleP50Ms: number;
  singleCpuP50Ms: number;
  batchDocsPerSecond: number;
  batchDocsPerCpuSecond: number;
  coldLoadMs: number;
  coldLoadCpuMs: number;
}

export type SklearnOutcome = { ran: true; result: SklearnServing } | { ran: false; reason: string };

const PYTHON = "/usr/bin/python3";
const SCRIPT = resolve(import.meta.dirname, "sklearn_serving.py");

export async function runSklearnServing(
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
  const child = await exec(PYTHON, [SCRIPT, "--archive", archive, "--docs", docsPath, "--cache", workDir], {
    quiet: true,
  });
  const line = child.stdout.split("\n").find((text) => text.startsWith("{"));
  if (child.code !== 0 || line === undefined) {
    return { ran: false, reason: `sklearn_serving.py failed: ${child.stderr.trim().slice(-300)}` };
  }
  return { ran: true, result: JSON.parse(line) as SklearnServing };
}
