import * as core from "@actions/core";
import { errorMessage } from "./errors.js";

/**
 * Runs an action's main and turns any error into one failed-step line (core.setFailed); the stack
 * trace is printed only with debug logging on (RUNNER_DEBUG=1, "re-run with debug logging").
 */
export async function runAction(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (core.isDebug() && error instanceof Error && error.stack) core.debug(error.stack);
    core.setFailed(errorMessage(error));
  }
}
