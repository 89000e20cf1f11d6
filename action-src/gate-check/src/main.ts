/** gate-check's I/O: inputs, git, the GitHub API, outputs and the job summary. */
import * as core from "@actions/core";
import { existsSync } from "node:fs";
import { ActionError } from "@textcat/action-shared/errors";
import type { RunCommand } from "@textcat/action-shared/exec";
import { runCommand } from "@textcat/action-shared/exec";
import { artifactsSha256 } from "@textcat/action-shared/gate-record";
import type { GitHubClient } from "@textcat/action-shared/github-context";
import { createGitHubClient, repoContext } from "@textcat/action-shared/github-context";
import { maskSecret } from "@textcat/action-shared/mask";
import { runAction } from "@textcat/action-shared/run-action";
import { writeJobSummary } from "@textcat/action-shared/summary";
import { decideDeploy, decideRetrain } from "./decide.js";
import type { Inputs } from "./inputs.js";
import { readInputs } from "./inputs.js";
import { History, StatusReader } from "./lookup.js";

export interface Deps {
  runCommand: RunCommand;
  createGitHubClient: (token: string) => GitHubClient;
}

const defaultDeps: Deps = { runCommand, createGitHubClient };

export async function run(overrides: Partial<Deps> = {}): Promise<void> {
  await runAction(async () => {
    maskSecret(core.getInput("github-token"));
    const inputs = readInputs();
    const deps = { ...defaultDeps, ...overrides };
    if (inputs.mode === "retrain") await retrainCheck(inputs, deps);
    else await deployCheck(inputs, deps);
  });
}

function statusReader(inputs: Inputs, deps: Deps): StatusReader | undefined {
  const repo = repoContext();
  if (!inputs.githubToken || !repo) return undefined;
  return new StatusReader(deps.createGitHubClient(inputs.githubToken), repo);
}

async function retrainCheck(inputs: Inputs, deps: Deps): Promise<void> {
  const history = new History(deps.runCommand);
  const changed = await history.changedSince(inputs.baseSha, inputs.modelDir);
  const hash = existsSync(inputs.artifactsDir) ? artifactsSha256(inputs.artifactsDir) : "";
  const reader = statusReader(inputs, deps);
  if (changed && !reader) core.notice("No github-token or repository: gate statuses not read, retraining");
  const sameModel =
    changed && hash && reader ? await history.sameTreeCommits(inputs.baseSha, inputs.modelDir) : [];
  const decision = decideRetrain({
    modelChangedSinceBase: changed,
    artifactsSha256: hash,
    sameModelCommits: reader ? await reader.judged(sameModel) : [],
  });
  core.info(`${decision.retrain ? "Retrain" : "No retrain"}: ${decision.reason}`);
  core.setOutput("retrain", String(decision.retrain));
  core.setOutput("artifacts-sha256", hash);
  core.setOutput("reason", decision.reason);
  await writeJobSummary({
    title: decision.retrain ? "Retrain" : "No retrain",
    facts: [
      ["Why", decision.reason],
      ["Artifacts SHA-256", hash || "none"],
    ],
  });
}

async function deployCheck(inputs: Inputs, deps: Deps): Promise<void> {
  const hash = artifactsSha256(inputs.artifactsDir);
  const reader = statusReader(inputs, deps);
  if (!reader) {
    throw new ActionError(
      "cannot check the quality gate's record without github-token and a repository: not deploying",
    );
  }
  const lastChange = await new History(deps.runCommand).lastCommitTouching(inputs.artifactsDir);
  const candidates = [lastChange, ...(await reader.pullRequestCommits(lastChange))];
  const verdict = decideDeploy(hash, await reader.judged(candidates));
  core.setOutput("artifacts-sha256", hash);
  if (!verdict.approved) throw new ActionError(verdict.reason);
  const reason = `the quality gate passed these artifacts at ${verdict.judgedAt}`;
  core.info(`Deploy allowed: ${reason}`);
  core.setOutput("reason", reason);
  await writeJobSummary({
    title: "Quality gate record found",
    facts: [
      ["Artifacts SHA-256", hash],
      ["Judged at", verdict.judgedAt],
    ],
  });
}
