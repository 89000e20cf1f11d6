/** promote's I/O: inputs, AWS clients, GitHub deployment, outputs and job summary. */
import * as core from "@actions/core";
import { createEcrClient, createLambdaClient, resolveRegion } from "@textcat/action-shared/aws";
import type { Clock } from "@textcat/action-shared/clock";
import { systemClock } from "@textcat/action-shared/clock";
import { createCloudWatchClient } from "@textcat/action-shared/cloudwatch";
import type { DeploymentRecord } from "@textcat/action-shared/deployments";
import { recordDeployment } from "@textcat/action-shared/deployments";
import { maskSecret } from "@textcat/action-shared/mask";
import { runAction } from "@textcat/action-shared/run-action";
import { readGoldenFile } from "@textcat/action-shared/release/golden";
import { writeJobSummary } from "@textcat/action-shared/summary";
import { StepTimings } from "@textcat/action-shared/timings";
import type { Inputs } from "./inputs.js";
import { readInputs } from "./inputs.js";
import { CANARY_STATE, encodeCanaryState } from "./canary-guard.js";
import { committedModelSha256 } from "./model-sha.js";
import { promote } from "./promote.js";
import { deploymentDescription, failureSummary, successSummary } from "./report.js";

export interface Deps {
  clock?: Clock;
}

export async function run(deps: Deps = {}): Promise<void> {
  const clock = deps.clock ?? systemClock;
  const timings = new StepTimings(clock);
  let inputs: Inputs | undefined;
  let deployment: DeploymentRecord | undefined;
  try {
    await runAction(
      async () => {
        maskSecret(core.getInput("github-token"));
        inputs = readInputs();
        const region = resolveRegion(inputs.awsRegion);
        const golden = await readGoldenFile(inputs.goldenRequests);
        const modelSha256 = inputs.modelSha256 || (await committedModelSha256());
        deployment = await recordDeployment({
          token: inputs.githubToken,
          environment: inputs.environment,
          ref: inputs.gitSha || process.env.GITHUB_SHA || "HEAD",
          description: `promote to ${inputs.functionName}:${inputs.alias}`,
          productionEnvironment: inputs.environment === "production",
        });
        await deployment.setStatus("in_progress", "promoting");

        const result = await promote(
          { ...inputs, golden, modelSha256 },
          {
            lambda: createLambdaClient(region),
            ecr: createEcrClient(region),
            cloudwatch: createCloudWatchClient(region),
            clock,
            timings,
            onCanaryStart: (canaryVersion) =>
              core.saveState(
                CANARY_STATE,
                encodeCanaryState({
                  functionName: inputs!.functionName,
                  alias: inputs!.alias,
                  canaryVersion,
                }),
              ),
          },
        );
        core.setOutput("version", result.version);
        core.setOutput("previous-version", result.previousVersion);
        core.setOutput("digest", result.digest);
        core.setOutput("image-uri", result.imageUri);
        core.setOutput("changed", String(result.changed));
        core.info(
          result.changed
            ? `Alias ${inputs.alias} → version ${result.version} (${result.digest}); previous ${result.previousVersion || "none"}`
            : `Alias ${inputs.alias} already serves ${result.digest} (version ${result.version})`,
        );
        await deployment.setStatus("success", deploymentDescription(result));
        await writeJobSummary(successSummary(inputs, result, timings.steps));
      },
      async (message) => {
        core.setOutput("changed", "false");
        await deployment?.setStatus("failure", message);
        await writeJobSummary(failureSummary(inputs, message, timings.steps));
      },
    );
  } finally {
    // promote ended on its own: the alias is whole either way (moved, or put back), nothing for post
    core.saveState(CANARY_STATE, "");
  }
}
