import { describe, expect, test } from "vitest";
import { planCommit } from "../src/commit-plan.js";
import type { PullRequestInfo } from "../src/pull-request.js";

const pr: PullRequestInfo = {
  number: 7,
  headRef: "retrain",
  headSha: "h",
  headRepo: "octo/textcat",
  baseRepo: "octo/textcat",
  baseSha: "b",
  baseRef: "main",
};
const fork = { ...pr, headRepo: "someone/textcat" };
const situation = { changed: true, gatePassed: true, pr, push: true, retrainCommand: "npm run train" };

describe("planCommit", () => {
  test.each([
    ["gate failed", { gatePassed: false }, false, undefined, "the quality gate failed"],
    ["unchanged bytes", { changed: false }, false, undefined, "nothing to commit"],
    ["not a PR", { pr: undefined }, true, undefined, "Not a pull request"],
    ["fork PR", { pr: fork }, true, undefined, "run `npm run train` and push"],
    ["push disabled", { push: false }, true, undefined, "push: false"],
    ["same-repo PR", {}, true, "retrain", "committed to `retrain`"],
  ])("%s", (_case, change, commit, pushTo, note) => {
    const plan = planCommit({ ...situation, ...change });
    expect(plan.commit).toBe(commit);
    expect(plan.pushTo).toBe(pushTo);
    expect(plan.note).toContain(note);
  });
});

describe("planCommit's notes, word for word (they reach the PR comment, the summary and a notice)", () => {
  test.each([
    [{ gatePassed: false }, { commit: false, note: "Artifacts not committed: the quality gate failed." }],
    [{ changed: false }, { commit: false, note: "Artifacts unchanged (byte-identical): nothing to commit." }],
    [
      { pr: undefined },
      { commit: true, note: "Not a pull request: artifacts committed locally, not pushed." },
    ],
    [
      { pr: fork },
      {
        commit: true,
        note:
          "This pull request comes from a fork, which this workflow's token cannot push to: " +
          "run `npm run train` and push the artifacts to your branch yourself.",
      },
    ],
    [{ push: false }, { commit: true, note: "Artifacts committed locally (push: false)." }],
    [{}, { commit: true, pushTo: "retrain", note: "Artifacts committed to `retrain`." }],
  ])("%j → %j", (change, plan) => {
    expect(planCommit({ ...situation, ...change })).toEqual(plan);
  });
});
