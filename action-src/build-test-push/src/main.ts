import * as core from "@actions/core";
import type { ECRClient } from "@aws-sdk/client-ecr";
import { createEcrClient } from "@textcat/action-shared/aws";
import type { Clock } from "@textcat/action-shared/clock";
import { systemClock } from "@textcat/action-shared/clock";
import { recordCommitStatus } from "@textcat/action-shared/commit-status";
import { errorMessage } from "@textcat/kit/errors";
import { maskSecret } from "@textcat/action-shared/mask";
import type { RunCommand } from "@textcat/action-shared/exec";
import { runCommand } from "@textcat/action-shared/exec";
import { runAction } from "@textcat/action-shared/run-action";
import type { JobSummary } from "@textcat/action-shared/summary";
import { writeJobSummary } from "@textcat/action-shared/summary";
import { formatDuration, StepTimings } from "@textcat/action-shared/timings";
import { Docker } from "./docker.js";
import type { Inputs } from "./inputs.js";
import { readInputs, resolveBaseImage, resolveContentPaths } from "./inputs.js";
import type { Lookup, PipelineResult } from "./pipeline.js";
import { buildTestPush, findTestedImage } from "./pipeline.js";

export interface Deps {
  createEcrClient: (region: string) => ECRClient;
  runCommand: RunCommand;
  clock: Clock;
  repoRoot: string;
}

const defaultDeps = (): Deps => ({
  createEcrClient,
  runCommand,
  clock: systemClock,
  repoRoot: process.cwd(),
});

export async function run(overrides: Partial<Deps> = {}): Promise<void> {
  await runAction(async () => {
    maskSecret(core.getInput("github-token"));
    const deps = { ...defaultDeps(), ...overrides };
    const given = readInputs();
    const inputs = {
      ...given,
      baseImage: resolveBaseImage(given, deps.repoRoot),
      contentPaths: resolveContentPaths(given, deps.repoRoot),
    };
    const timings = new StepTimings(deps.clock);
    const ecr = deps.createEcrClient(inputs.awsRegion);
    let result: PipelineResult | undefined;
    let missing: Lookup | undefined;
    try {
      if (inputs.mode === "lookup") {
        const lookup = await findTestedImage(inputs, { ecr, repoRoot: deps.repoRoot }, timings);
        result = lookup.found;
        if (!result) missing = lookup;
      } else {
        const docker = new Docker(deps.runCommand);
        result = await buildTestPush(
          inputs,
          { ecr, docker, clock: deps.clock, repoRoot: deps.repoRoot },
          timings,
        );
      }
      core.setOutput("content-key", (result ?? missing)!.contentKey);
      core.setOutput("reused", String(result?.reused ?? false));
      if (!result) {
        core.info(`ECR holds no ${missing!.repositoryUri}:${missing!.tag} yet: it must be built`);
        return;
      }
      core.setOutput("digest", result.digest);
      core.setOutput("image-uri", result.imageUri);
      core.info(
        `${result.reused ? "Reused" : "Pushed"} ${result.imageUri} in ${formatDuration(timings.totalMs())}`,
      );
      await reportStatus(
        inputs,
        deps,
        "success",
        `${result.reused ? "reused" : "tested and pushed"} ${result.digest}`,
      );
    } catch (error) {
      await reportStatus(inputs, deps, "failure", errorMessage(error));
      throw error;
    } finally {
      ecr.destroy();
      await writeJobSummary(summaryOf(inputs, result, timings, missing));
    }
  });
}

/** The commit status textcat/image on the commit that was built (what the checkout holds). */
async function reportStatus(
  inputs: Inputs,
  deps: Deps,
  state: "success" | "failure",
  description: string,
): Promise<void> {
  if (!inputs.githubToken) return;
  const head = await deps.runCommand("git", ["rev-parse", "HEAD"], { cwd: deps.repoRoot, silent: true });
  const sha = head.exitCode === 0 ? head.stdout.trim() : (process.env.GITHUB_SHA ?? "");
  await recordCommitStatus({ token: inputs.githubToken, sha, context: "textcat/image", state, description });
}

function summaryOf(
  inputs: Inputs,
  result: PipelineResult | undefined,
  timings: StepTimings,
  missing?: Lookup,
): JobSummary {
  const outcome = missing
    ? `not in ECR yet: ${missing.tag} must be built`
    : !result
      ? "failed: nothing was pushed under the content key"
      : result.reused
        ? "reused: this content was already built, tested and pushed"
        : "built, tested inside the image, pushed";
  const facts: JobSummary["facts"] = [["Result", outcome]];
  if (result) {
    facts.push(
      ["Content key", result.contentKey],
      ["Digest", result.digest],
      ["Image URI", result.imageUri],
      ["Tag", result.tag],
    );
  }
  facts.push(["Base image", inputs.baseImage], ["Total time", formatDuration(timings.totalMs())]);
  return { title: "build-test-push", facts, timings: timings.steps };
}
