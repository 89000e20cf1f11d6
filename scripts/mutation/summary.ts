/**
 * Mutation score per module from Stryker's JSON report (mutation-testing-report-schema): detected
 * (Killed, Timeout) over valid mutants (detected + Survived + NoCoverage); CompileError,
 * RuntimeError and Ignored mutants are not valid, as in Stryker's own score
 * (https://stryker-mutator.io/docs/mutation-testing-elements/mutant-states-and-metrics/).
 */
export interface MutationReport {
  files: Record<string, { mutants: readonly { status: string }[] }>;
}

export interface ModuleScore {
  path: string;
  killed: number;
  survived: number;
  noCoverage: number;
  /** Percent, or undefined when the module has no valid mutant. */
  score: number | undefined;
}

const DETECTED = new Set(["Killed", "Timeout"]);

export function moduleScores(report: MutationReport): ModuleScore[] {
  return Object.entries(report.files)
    .map(([path, { mutants }]) => {
      const count = (status: string) => mutants.filter((mutant) => mutant.status === status).length;
      const killed = mutants.filter((mutant) => DETECTED.has(mutant.status)).length;
      const survived = count("Survived");
      const noCoverage = count("NoCoverage");
      const valid = killed + survived + noCoverage;
      return { path, killed, survived, noCoverage, score: valid ? (100 * killed) / valid : undefined };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** A Markdown table for the job summary (and the terminal). */
export function summaryMarkdown(scores: readonly ModuleScore[]): string {
  const rows = scores.map(
    (s) =>
      `| \`${s.path}\` | ${s.score === undefined ? "n/a" : s.score.toFixed(1)} | ${s.killed} | ${s.survived} | ${s.noCoverage} |`,
  );
  return [
    "## Mutation score per module",
    "",
    "| Module | Score % | Killed | Survived | No coverage |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...rows,
    "",
  ].join("\n");
}
