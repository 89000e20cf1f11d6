/** What promote tells the job summary and the GitHub deployment. */
import { aliasFailureSummary, type JobSummary } from "@textcat/action-shared/summary";
import type { StepTiming } from "@textcat/action-shared/timings";
import type { Inputs } from "./inputs.js";
import type { PromoteResult } from "./promote.js";

export function successSummary(
  inputs: Inputs,
  result: PromoteResult,
  timings: readonly StepTiming[],
): JobSummary {
  const facts: JobSummary["facts"] = [
    ["Function", `${inputs.functionName}:${inputs.alias}`],
    ["Digest", `<code>${result.digest}</code>`],
    ["Image", `<code>${result.imageUri}</code>`],
    ["Version", result.version],
    ["Previous version", result.previousVersion || "none (first deploy)"],
    ["Changed", result.changed ? "yes" : "no: the alias already served this digest"],
  ];
  if (result.golden)
    facts.push(["Golden requests", `${result.golden.passed}/${result.golden.total} answered as expected`]);
  if (result.canary?.kind === "passed") {
    facts.push([
      "Canary",
      `${inputs.canaryWeight}% for ${inputs.canaryMinutes} min, ${result.canary.polls} alarm checks, none fired`,
    ]);
  }
  if (result.provisioned) {
    const { count, version, released, kept } = result.provisioned;
    const old = released
      ? `; version ${released}'s released`
      : kept
        ? `; version ${kept}'s NOT released (still billed)`
        : "";
    facts.push(["Provisioned concurrency", `${count} READY on version ${version} before the switch${old}`]);
  }
  if (inputs.gitSha) facts.push(["Commit", inputs.gitSha]);
  facts.push(...dashboardFact(inputs));
  return { title: result.changed ? "Promoted" : "Already deployed", facts, timings };
}

export function failureSummary(
  inputs: Inputs | undefined,
  message: string,
  timings: readonly StepTiming[],
): JobSummary {
  return aliasFailureSummary("Promote failed", inputs, message, timings, [
    ["Alias", "left where it was"],
    ...dashboardFact(inputs),
  ]);
}

/** A link to the stage's dashboard when one was given (inputs.ts keeps it free of HTML-special characters). */
function dashboardFact(inputs: Inputs | undefined): JobSummary["facts"] {
  return inputs?.dashboardUrl
    ? [["Dashboard", `<a href="${inputs.dashboardUrl}">CloudWatch dashboard</a>`]]
    : [];
}

export function deploymentDescription(result: PromoteResult): string {
  const what = `${result.digest.slice(0, 19)} as version ${result.version}`;
  return result.changed ? `promoted ${what}` : `already serving ${what}`;
}
