import type { PullRequestInfo } from "./pull-request.js";
import { isFork } from "./pull-request.js";

export interface CommitPlan {
  commit: boolean;
  /** Branch to push to; undefined = don't push. */
  pushTo?: string;
  /** Why nothing (or nothing more) happens, for the comment, the summary and a notice. */
  note: string;
}

export interface CommitSituation {
  changed: boolean;
  gatePassed: boolean;
  pr: PullRequestInfo | undefined;
  push: boolean;
  retrainCommand: string;
}

/** What to do with the new artifacts: the decision table, kept apart from git so it can be tested. */
export function planCommit(s: CommitSituation): CommitPlan {
  if (!s.gatePassed) return { commit: false, note: "Artifacts not committed: the quality gate failed." };
  if (!s.changed) return { commit: false, note: "Artifacts unchanged (byte-identical): nothing to commit." };
  if (!s.pr) return { commit: true, note: "Not a pull request: artifacts committed locally, not pushed." };
  if (isFork(s.pr)) {
    return {
      commit: true,
      note:
        "This pull request comes from a fork, which this workflow's token cannot push to: " +
        `run \`${s.retrainCommand}\` and push the artifacts to your branch yourself.`,
    };
  }
  if (!s.push) return { commit: true, note: "Artifacts committed locally (push: false)." };
  return { commit: true, pushTo: s.pr.headRef, note: `Artifacts committed to \`${s.pr.headRef}\`.` };
}
