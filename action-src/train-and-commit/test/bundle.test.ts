import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { fixtureCorpus } from "@textcat/model/data";
import type { ActionEnv } from "@textcat/action-shared/testing/action-env";
import { actionEnvFor } from "@textcat/action-shared/testing/action-env";
import { ACTION_SRC, runBundle } from "@textcat/action-shared/testing/run-bundle";
import type { RepoFixture } from "./repo-fixture.js";
import { createRepoFixture, pullRequestEnv } from "./repo-fixture.js";

const setupActionEnv = actionEnvFor("train-and-commit");

const REPO_ROOT = join(ACTION_SRC, "..");
const TRAIN_CLI = join(REPO_ROOT, "model", "src", "cli", "train.ts");
const TSX = join(REPO_ROOT, "node_modules", ".bin", "tsx");

let env: ActionEnv | undefined;
let repo: RepoFixture | undefined;
afterEach(() => {
  env?.restore();
  repo?.remove();
  env = repo = undefined;
});

describe("train-and-commit bundle, run as the runner runs it", () => {
  test.each([
    [{ "min-accuracy": "high" }, 'Input "min-accuracy" must be a number between 0 and 1, got "high"'],
    [{ push: "maybe" }, 'Input "push" must be true or false, got "maybe"'],
  ])("inputs %j → exit 1 and one line", async (inputs, message) => {
    env = setupActionEnv(inputs);
    const result = await runBundle("train-and-commit", env);
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([message]);
    expect(result.stdout + result.stderr).not.toMatch(/^\s+at /m);
  });

  test("a real training run on the fixture corpus in a git repo: checked, gated, committed and pushed to the PR branch", async () => {
    const byLabel = new Map(fixtureCorpus().test.map((doc) => [doc.label, doc]));
    repo = createRepoFixture({ "model/golden.json": JSON.stringify([...byLabel.values()]) });
    repo.writePullRequestEvent();
    env = setupActionEnv(
      {
        "train-command": `${TSX} ${TRAIN_CLI} --data fixture --config default --out model/artifacts`,
        "github-token": "",
        "min-accuracy": "0.9",
      },
      pullRequestEnv(repo),
    );
    const result = await runBundle("train-and-commit", env, { cwd: repo.work });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    const outputs = env.outputs();
    const pushed = repo.originSha("retrain");
    expect(outputs).toMatchObject({
      committed: "true",
      pushed: "true",
      gate: "passed",
      "commit-sha": pushed,
    });
    expect(Number(outputs.accuracy)).toBeGreaterThanOrEqual(0.9);
    const files = repo.git("show", "--name-only", "--format=", pushed).split("\n").sort();
    expect(files).toEqual([
      "model/artifacts/confusion-matrix.svg",
      "model/artifacts/data-summary.json",
      "model/artifacts/metrics.json",
      "model/artifacts/model.onnx",
      "model/artifacts/report.md",
    ]);
    // The trainer's data summary is in the log (the command's output) and in the job summary.
    expect(result.stdout).toContain("data: 120 training and 40 test documents, 4 labels");
    expect(env.summary()).toContain("120 train / 40 test documents, 4 labels");
    const committedMetrics = JSON.parse(repo.git("show", `${pushed}:model/artifacts/metrics.json`));
    expect(String(committedMetrics.accuracy)).toBe(outputs.accuracy);
    expect(result.stdout).toContain('::notice::No "github-token": PR comment skipped');
    expect(env.summary()).toContain("train-and-commit: gate passed");
    expect(env.summary()).toContain(`${byLabel.size} answered correctly`);
  }, 300_000);
});
