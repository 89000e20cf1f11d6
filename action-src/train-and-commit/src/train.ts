import { ActionError } from "../../shared/src/errors.js";
import type { RunCommand } from "../../shared/src/exec.js";
import { failureDetail as detail } from "../../shared/src/exec.js";

/** Runs the training command (no shell) with the dataset cache folder in TEXTCAT_CACHE_DIR. */
export async function train(run: RunCommand, command: string, cacheDir: string): Promise<void> {
  const [program, ...args] = splitCommand(command);
  if (!program) throw new ActionError('Input "train-command" is empty');
  const result = await run(program, args, { env: { TEXTCAT_CACHE_DIR: cacheDir } });
  if (result.exitCode !== 0) {
    throw new ActionError(`training failed (exit ${result.exitCode})${detail(result)}`);
  }
}

/** Splits a command line on spaces, honouring simple "double" and 'single' quotes (no shell). */
export function splitCommand(command: string): string[] {
  const parts = command.match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
  return parts.map((part) => part.replace(/^(["'])(.*)\1$/, "$2"));
}
