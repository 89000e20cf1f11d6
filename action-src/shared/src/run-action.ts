import * as core from "@actions/core";
import { errorMessage } from "@textcat/kit/errors";

/**
 * Runs an action's main and turns any error into one failed-step line (core.setFailed). The stack
 * trace goes to the debug log, which the runner shows only with step debug logging on: "You must
 * create a secret named ACTIONS_STEP_DEBUG with the value true to see the debug messages set by
 * this command in the log."
 * (https://docs.github.com/en/actions/using-workflows/workflow-commands-for-github-actions#setting-a-debug-message)
 * `onFailure` then reports the failure where the action keeps its record (outputs, summary, …).
 */
export async function runAction(
  main: () => Promise<void>,
  onFailure?: (message: string) => Promise<void>,
): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof Error && error.stack) core.debug(error.stack);
    const message = errorMessage(error);
    core.setFailed(message);
    await onFailure?.(message);
  }
}
