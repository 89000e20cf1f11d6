import * as core from "@actions/core";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { ARTIFACT_FILES, parseGoldenExamples } from "@textcat/contract";
import type { Clock } from "@textcat/action-shared/clock";
import { systemClock } from "@textcat/action-shared/clock";
import { ActionError } from "@textcat/action-shared/errors";
import type { RunCommand } from "@textcat/action-shared/exec";
import { runCommand } from "@textcat/action-shared/exec";
import type { GitHubClient } from "@textcat/action-shared/github-context";
import { createGitHubClient, repoContext } from "@textcat/action-shared/github-context";
import { maskSecret } from "@textcat/action-shared/mask";
import { runAction } from "@textcat/action-shared/run-action";
import { writeJobSummary } from "@textcat/action-shared/summary";
import { StepTimings } from "@textcat/action-shared/timings";
import { postComment } from "./comment-step.js";
import { commitArtifacts } from "./commit-step.js";
import { planCommit } from "./commit-plan.js";
import { checkArtifacts } from "./contract-check.js";
import type { CacheApi } from "./dataset-cache.js";
import { actionsCache, datasetCacheKey, restoreDataset, saveDataset } from "./dataset-cache.js";
import { recordCommitStatus } from "@textcat/action-shared/commit-status";
import { artifactsSha256, GATE_CONTEXT, gatePassedDescription } from "@textcat/action-shared/gate-record";
import { evaluateGate } from "./gate.js";
import { Git } from "./git.js";
import { readDataSummaries } from "./data-step.js";
import type { Inputs } from "./inputs.js";
import { readInputs } from "./inputs.js";
import type { DataSummary } from "@textcat/model/data-check";
import type { HeadlineMetrics } from "./metrics.js";
import { parseMetrics } from "./metrics.js";
import type { PullRequestInfo } from "./pull-request.js";
import { readPullRequest } from "./pull-request.js";
import { train } from "./train.js";

export interface Deps {
  runCommand: RunCommand;
  cache: CacheApi;
  createGitHubClient: (token: string) => GitHubClient;
  checkArtifacts: typeof checkArtifacts;
  clock: Clock;
}

const defaultDeps: Deps = {
  runCommand,
  cache: actionsCache,
  createGitHubClient,
  checkArtifacts,
  clock: systemClock,
};

export async function run(overrides: Partial<Deps> = {}): Promise<void> {
  await runAction(() => trainAndCommit(readInputs(), { ...defaultDeps, ...overrides }));
}

async function trainAndCommit(inputs: Inputs, deps: Deps): Promise<void> {
  maskSecret(inputs.githubToken);
  maskSecret(inputs.pushToken);
  const git = new Git(deps.runCommand);
  const timings = new StepTimings(deps.clock);
  const pr = readPullRequest();
  if (pr && inputs.push) await refuseSyntheticMergeCheckout(git, pr);

  const cacheDir = resolve(inputs.cacheDir);
  const cacheKey = datasetCacheKey(inputs.datasetSha256);
  const cacheHit = await timings.time("restore dataset cache", () =>
    restoreDataset(deps.cache, cacheDir, cacheKey),
  );
  await timings.time("train", () => train(deps.runCommand, inputs.trainCommand, cacheDir));
  if (!cacheHit) await timings.time("save dataset cache", () => saveDataset(deps.cache, cacheDir, cacheKey));

  const golden = inputs.goldenExamples
    ? parseGoldenExamples(
        await readText(inputs.goldenExamples, "golden examples file"),
        inputs.goldenExamples,
      )
    : [];
  const contract = await timings.time("check serving contract", () =>
    deps.checkArtifacts(inputs.artifactsDir, golden),
  );
  const metricsPath = join(inputs.artifactsDir, ARTIFACT_FILES.metrics);
  const current = parseMetrics(await readText(metricsPath, "metrics file"), metricsPath);

  const baseRef = inputs.baseRef || pr?.baseSha || "origin/main";
  const baseText = await timings.time("read base metrics", () => git.readFileAtRef(baseRef, metricsPath));
  const base: HeadlineMetrics | undefined = baseText
    ? parseMetrics(baseText, `${baseRef}:${metricsPath}`)
    : undefined;
  if (!base)
    core.notice(
      `No ${metricsPath} at ${baseRef}: this is the first model, only the minimum accuracy applies`,
    );
  const data = await timings.time("read data summaries", () =>
    readDataSummaries(git, inputs.artifactsDir, baseRef),
  );
  const rule = { minAccuracy: inputs.minAccuracy, maxAccuracyDrop: inputs.maxAccuracyDrop };
  const gate = evaluateGate(current, base, rule);

  const changed = await git.hasChanges(inputs.artifactsDir);
  const plan = planCommit({
    changed,
    gatePassed: gate.passed,
    pr,
    push: inputs.push,
    retrainCommand: inputs.trainCommand,
  });
  const pushToken = inputs.pushToken || inputs.githubToken;
  const auth = pushToken
    ? { token: pushToken, serverUrl: process.env.GITHUB_SERVER_URL || "https://github.com" }
    : undefined;
  const outcome = await commitArtifacts(git, plan, inputs.artifactsDir, inputs.commitMessage, timings, auth);
  const headSha = await git.head();

  core.setOutput("committed", String(outcome.committed));
  core.setOutput("pushed", String(outcome.pushed));
  core.setOutput("commit-sha", headSha);
  core.setOutput("accuracy", String(current.accuracy));
  core.setOutput("macro-f1", String(current.macroF1));
  core.setOutput("gate", gate.passed ? "passed" : "failed");

  const onGitHub = outcome.pushed || (!changed && (!pr || headSha === pr.headSha));
  const repo = repoContext();
  const confusionMatrixUrl =
    onGitHub && repo
      ? `${repo.serverUrl}/${repo.owner}/${repo.repo}/blob/${headSha}/${inputs.artifactsDir}/${ARTIFACT_FILES.confusionMatrix}?raw=true`
      : undefined;
  const commentInput = {
    current,
    base,
    baseRef: inputs.baseRef || pr?.baseRef || baseRef,
    gate,
    rule,
    modelBytes: contract.modelBytes,
    commitNote: outcome.note,
    confusionMatrixUrl,
    runUrl: repo?.runUrl,
    data: { ...data, baseRef: inputs.baseRef || pr?.baseRef || baseRef },
  };
  await timings.time("sticky PR comment", () =>
    postComment(deps, inputs.githubToken, pr, repo, commentInput),
  );
  // the status goes on a commit GitHub has: the pushed one, or the checked-out head when nothing was committed
  const headOnGitHub = outcome.pushed || !outcome.committed;
  if (headOnGitHub && pr && inputs.githubToken) {
    await recordCommitStatus({
      token: inputs.githubToken,
      client: deps.createGitHubClient(inputs.githubToken),
      sha: headSha,
      context: GATE_CONTEXT,
      state: gate.passed ? "success" : "failure",
      // names the artifacts it passed: gate-check skips a retrain, and deploy accepts them, by this hash
      description: gate.passed
        ? gatePassedDescription(current.accuracy, current.macroF1, artifactsSha256(inputs.artifactsDir))
        : gate.failures.join("; "),
    });
  }

  await writeJobSummary({
    title: `train-and-commit: gate ${gate.passed ? "passed" : "failed"}`,
    facts: [
      [
        "Accuracy",
        `${current.accuracy.toFixed(4)}${base ? ` (base ${base.accuracy.toFixed(4)})` : " (first model)"}`,
      ],
      ["Macro-F1", current.macroF1.toFixed(4)],
      [
        "Model",
        `${contract.modelSha256.slice(0, 12)} · ${contract.modelBytes} bytes · ${contract.labels.length} labels`,
      ],
      ["Golden examples", `${contract.goldenChecked} answered correctly`],
      ["Data", data.current ? dataFact(data.current) : "no data summary"],
      ["Dataset cache", cacheHit ? `hit (${cacheKey})` : `miss (${cacheKey})`],
      ["Artifacts", outcome.note],
      ["Head", headSha],
    ],
    timings: timings.steps,
    markdown: gate.failures.map((failure) => `- ❌ ${failure}`).join("\n"),
  });
  if (!gate.passed) core.setFailed(`Quality gate failed: ${gate.failures.join("; ")}`);
}

function dataFact(summary: DataSummary): string {
  return (
    `${summary.train_docs} train / ${summary.test_docs} test documents, ` +
    `${Object.keys(summary.labels).length} labels; test documents also in train: ` +
    `${summary.shared_exact} exact, ${summary.shared_near} near-duplicates`
  );
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch {
    throw new ActionError(`${what} ${path} not found`);
  }
}

/** actions/checkout on a PR checks out a synthetic merge commit: committing on it would push a merge. */
async function refuseSyntheticMergeCheckout(git: Git, pr: PullRequestInfo): Promise<void> {
  const parents = await git.headParents();
  if (parents.length === 2 && parents[1] === pr.headSha) {
    throw new ActionError(
      "HEAD is the pull request's merge commit; check out the PR branch instead " +
        "(actions/checkout with ref: ${{ github.event.pull_request.head.ref }})",
    );
  }
}
