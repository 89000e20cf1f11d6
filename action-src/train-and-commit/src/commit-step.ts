import * as core from "@actions/core";
import { ActionError } from "@textcat/action-shared/errors";
import type { StepTimings } from "@textcat/action-shared/timings";
import type { CommitPlan } from "./commit-plan.js";
import type { Git, PushAuth } from "./git.js";

export interface CommitOutcome {
  committed: boolean;
  pushed: boolean;
  /** One sentence for the comment and the summary. */
  note: string;
}

/**
 * Carries out the plan. A push refused for lack of permission is a notice (re-running would not
 * help, so failing would only start a loop); any other push failure (e.g. the branch moved) fails.
 */
export async function commitArtifacts(
  git: Git,
  plan: CommitPlan,
  dir: string,
  message: string,
  timings: StepTimings,
  auth?: PushAuth,
): Promise<CommitOutcome> {
  if (!plan.commit) return { committed: false, pushed: false, note: plan.note };
  const sha = await timings.time("commit", () => git.commitDir(dir, message));
  if (!plan.pushTo) {
    core.notice(plan.note);
    return { committed: true, pushed: false, note: plan.note };
  }
  const branch = plan.pushTo;
  const result = await timings.time("push", () => git.push(branch, auth));
  if (result.ok)
    return { committed: true, pushed: true, note: `${plan.note.replace(/\.$/, "")} as ${sha.slice(0, 7)}.` };
  if (!result.permissionDenied)
    throw new ActionError(`pushing the artifacts to ${branch} failed: ${result.message}`);
  const note =
    `The retrained artifacts could not be pushed to \`${branch}\` (${result.message}): ` +
    "give the workflow `contents: write`, or retrain locally and push them yourself.";
  core.notice(note);
  return { committed: true, pushed: false, note };
}
