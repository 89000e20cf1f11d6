/** What rollback tells the job summary. */
import { aliasFailureSummary, type JobSummary } from "@textcat/action-shared/summary";
import type { StepTiming } from "@textcat/action-shared/timings";
import type { Inputs } from "./inputs.js";
import type { RollbackResult } from "./rollback.js";

export function successSummary(
  inputs: Inputs,
  result: RollbackResult,
  timings: readonly StepTiming[],
): JobSummary {
  const facts: JobSummary["facts"] = [
    ["Function", `${inputs.functionName}:${inputs.alias}`],
    ["Version", result.version],
    ["Previous version", result.previousVersion || "none"],
    ["Digest", result.digest ? `<code>${result.digest}</code>` : "unknown"],
    ["Why this version", result.reason],
    ["Changed", result.changed ? "yes" : "no: the alias already served it"],
    [
      "Check",
      result.golden
        ? `${result.golden.passed}/${result.golden.total} golden requests answered as expected`
        : "none needed: the alias already served it",
    ],
    ["Commit", result.gitSha ?? "not recorded by promote"],
  ];
  return { title: result.changed ? "Rolled back" : "Nothing to roll back", facts, timings };
}

export function failureSummary(
  inputs: Inputs | undefined,
  message: string,
  timings: readonly StepTiming[],
): JobSummary {
  return aliasFailureSummary("Rollback failed", inputs, message, timings);
}
