/** gate-check's decisions, apart from git and the GitHub API. */
import type { JudgedCommit } from "@textcat/action-shared/gate-record";
import { findGatePass } from "@textcat/action-shared/gate-record";

export type RetrainDecision = { retrain: boolean; reason: string };

export interface RetrainFacts {
  /** Anything under model/ differs between the PR's base and its head. */
  modelChangedSinceBase: boolean;
  artifactsSha256: string;
  /** The PR's commits whose model/ equals the head's, newest first, with their statuses. */
  sameModelCommits: readonly JudgedCommit[];
}

/**
 * Skip retraining only when the pipeline's own gate status passed exactly the artifacts the head
 * holds, on a commit whose model/ (training code and data settings included) equals the head's. Who
 * wrote the commits plays no part: hand-edited artifacts carry no such status and are judged again.
 */
export function decideRetrain(facts: RetrainFacts): RetrainDecision {
  if (!facts.modelChangedSinceBase) return { retrain: false, reason: "nothing under model/ changed" };
  const judged = findGatePass(facts.artifactsSha256, facts.sameModelCommits);
  if (judged) {
    return {
      retrain: false,
      reason: `the quality gate passed these artifacts at ${judged.slice(0, 12)} and model/ is unchanged since`,
    };
  }
  return {
    retrain: true,
    reason: "model/ changed and no quality-gate pass by the pipeline names these artifacts",
  };
}

export type DeployVerdict = { approved: true; judgedAt: string } | { approved: false; reason: string };

/** Deploy goes ahead only for artifacts some pipeline gate status passed (see findGatePass). */
export function decideDeploy(artifactsSha256: string, candidates: readonly JudgedCommit[]): DeployVerdict {
  const judgedAt = findGatePass(artifactsSha256, candidates);
  if (judgedAt) return { approved: true, judgedAt };
  const where =
    candidates.length === 0
      ? "no commit to look at"
      : `${candidates.length} commit(s) of the pull request that last changed them`;
  return {
    approved: false,
    reason:
      `the model artifacts (sha256 ${artifactsSha256.slice(0, 12)}) were never passed by the quality gate ` +
      `(no textcat/quality-gate status by the pipeline names them; looked at ${where}): ` +
      "retrain them in a pull request from this repository; the alias was not touched",
  };
}
