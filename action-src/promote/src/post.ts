/** promote's post step: takes a canary left by a cancelled or timed-out job off the alias. */
import * as core from "@actions/core";
import { createLambdaClient, resolveRegion } from "@textcat/action-shared/aws";
import { systemClock } from "@textcat/action-shared/clock";
import { ActionError } from "@textcat/action-shared/errors";
import { runAction } from "@textcat/action-shared/run-action";
import { pointAlias, readAlias } from "@textcat/action-shared/release/lambda";
import { CANARY_STATE, decodeCanaryState, planRestore } from "./canary-guard.js";

export async function post(): Promise<void> {
  await runAction(async () => {
    const state = decodeCanaryState(core.getState(CANARY_STATE));
    if (!state) {
      core.info("No canary left running: nothing to restore");
      return;
    }
    const lambda = createLambdaClient(resolveRegion(core.getInput("aws-region")));
    try {
      const alias = await readAlias(lambda, state.functionName, state.alias);
      const plan = planRestore(state, alias);
      if (plan.kind === "nothing" || !alias) {
        core.info(`Nothing to restore: ${plan.kind === "nothing" ? plan.reason : ""}`);
        return;
      }
      const target = {
        functionName: state.functionName,
        alias: state.alias,
        version: alias.version,
        description: alias.description,
        weights: {},
      };
      await pointAlias(lambda, target, alias, (ms) => systemClock.sleep(ms));
      core.warning(
        `The job ended during the canary: alias "${state.alias}" moved back to version ${alias.version} ` +
          `with all of its traffic (version ${plan.canaryVersion} no longer gets any)`,
      );
    } catch (error) {
      throw new ActionError(
        `the job ended during the canary and alias "${state.alias}" could not be restored ` +
          `(${error instanceof Error ? error.message : String(error)}): run rollback`,
      );
    } finally {
      lambda.destroy();
    }
  });
}
