import * as core from "@actions/core";
import { errorMessage } from "./errors.js";

/**
 * Runs an action's main and turns any error into one failed-step line (core.setFailed); the stack
 * trace is printed only with debug logging on (RUNNER_DEBUG=1, "re-run with debug logging").
 * `onFailure` then reports the failure where the action keeps its record (outputs, summary, …).
 */
export async function runAction(
  main: () => Promise<void>,
  onFailure?: (message: string) => Promise<void>,
): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (core.isDebug() && error instanceof Error && error.stack) core.debug(error.stack);
    const message = errorMessage(error);
    core.setFailed(message);
    await onFailure?.(message);
  }
}
