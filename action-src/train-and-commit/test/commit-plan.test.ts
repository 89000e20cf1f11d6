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
