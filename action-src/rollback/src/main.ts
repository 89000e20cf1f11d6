/** rollback's I/O: inputs, the Lambda client, GitHub deployment, outputs and job summary. */
import * as core from "@actions/core";
import { createLambdaClient, resolveRegion } from "@textcat/action-shared/aws";
import type { Clock } from "@textcat/action-shared/clock";
import { systemClock } from "@textcat/action-shared/clock";
import type { DeploymentRecord } from "@textcat/action-shared/deployments";
import { recordDeployment } from "@textcat/action-shared/deployments";
import { maskSecret } from "@textcat/action-shared/mask";
import { runAction } from "@textcat/action-shared/run-action";
import { readGoldenFile } from "@textcat/action-shared/release/golden";
import { writeJobSummary } from "@textcat/action-shared/summary";
import { StepTimings } from "@textcat/action-shared/timings";
import type { Inputs } from "./inputs.js";
import { readInputs } from "./inputs.js";
import { failureSummary, successSummary } from "./report.js";
import { rollback } from "./rollback.js";

export interface Deps {
  clock?: Clock;
}

export async function run(deps: Deps = {}): Promise<void> {
  const clock = deps.clock ?? systemClock;
  const timings = new StepTimings(clock);
  let inputs: Inputs | undefined;
  let deployment: DeploymentRecord | undefined;
  await runAction(
    async () => {
      maskSecret(core.getInput("github-token"));
      inputs = readInputs();
      const region = resolveRegion(inputs.awsRegion);
      const golden = await readGoldenFile(inputs.goldenRequests);
      const target = inputs;
      // The one deployment record of this rollback names the commit the chosen version was built from.
      const onTarget = async ({ version, gitSha }: { version: string; gitSha: string | undefined }) => {
        if (!gitSha) {
          core.notice(`Version ${version} records no commit: no GitHub deployment is recorded for it`);
          return;
        }
        deployment = await recordDeployment({
          token: target.githubToken,
          environment: target.environment,
          ref: gitSha,
          description: `rollback of ${target.functionName}:${target.alias} to version ${version}`,
          productionEnvironment: target.environment === "production",
        });
        await deployment.setStatus("in_progress", `rolling back to version ${version}`);
      };

      const result = await rollback(
        { ...inputs, golden },
        { lambda: createLambdaClient(region), clock, timings, onTarget },
      );
      core.setOutput("version", result.version);
      core.setOutput("previous-version", result.previousVersion);
      core.setOutput("digest", result.digest);
      core.setOutput("changed", String(result.changed));
      core.info(
        result.changed
          ? `Alias ${inputs.alias} → version ${result.version} (was ${result.previousVersion})`
          : `Alias ${inputs.alias} already serves version ${result.version}`,
      );
      await deployment?.setStatus(
        "success",
        `rolled back to version ${result.version} (${result.digest.slice(0, 19)})`,
      );
      await writeJobSummary(successSummary(inputs, result, timings.steps));
    },
    async (message) => {
      core.setOutput("changed", "false");
      await deployment?.setStatus("failure", message);
      await writeJobSummary(failureSummary(inputs, message, timings.steps));
    },
  );
}
