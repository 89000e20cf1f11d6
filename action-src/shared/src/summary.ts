import * as core from "@actions/core";
import { errorMessage } from "@textcat/kit/errors";
import type { StepTiming } from "./timings.js";
import { formatDuration } from "./timings.js";

export interface JobSummary {
  title: string;
  /** Label → value rows, shown as a two-column table. */
  facts: Array<[label: string, value: string]>;
  timings?: readonly StepTiming[];
  /** Extra Markdown appended after the tables. */
  markdown?: string;
}

/**
 * The summary of a failed change to a Lambda alias: which alias (once the inputs were read), the error,
 * then `after` (e.g. where the alias was left).
 */
export function aliasFailureSummary(
  title: string,
  target: { functionName: string; alias: string } | undefined,
  message: string,
  timings: readonly StepTiming[],
  after: JobSummary["facts"] = [],
): JobSummary {
  const facts: JobSummary["facts"] = [["Error", message], ...after];
  if (target) facts.unshift(["Function", `${target.functionName}:${target.alias}`]);
  return { title, facts, timings };
}

type TableRow = Parameters<typeof core.summary.addTable>[0][number];

export function timingRows(timings: readonly StepTiming[]): TableRow[] {
  const header = [
    { data: "Step", header: true },
    { data: "Time", header: true },
    { data: "Outcome", header: true },
  ];
  return [header, ...timings.map((t) => [t.step, formatDuration(t.ms), t.outcome])];
}

/** Writes the job summary; outside a runner (no GITHUB_STEP_SUMMARY) it is skipped quietly. */
export async function writeJobSummary(summary: JobSummary): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.debug("GITHUB_STEP_SUMMARY is not set: job summary skipped");
    return;
  }
  try {
    core.summary.addHeading(summary.title, 2);
    core.summary.addTable(summary.facts.map(([label, value]) => [label, value]));
    if (summary.timings?.length) {
      core.summary.addHeading("Timings", 3).addTable(timingRows(summary.timings));
    }
    if (summary.markdown) core.summary.addRaw(summary.markdown, true);
    await core.summary.write();
  } catch (error) {
    core.warning(`Could not write the job summary: ${errorMessage(error)}`);
  } finally {
    core.summary.emptyBuffer();
  }
}
