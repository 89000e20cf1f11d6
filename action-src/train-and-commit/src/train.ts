import { ActionError } from "@textcat/action-shared/errors";
import type { RunCommand } from "@textcat/action-shared/exec";
import { failureDetail as detail } from "@textcat/action-shared/exec";

/**
 * Runs the training command (no shell) with the dataset cache folder in TEXTCAT_CACHE_DIR. The
 * command is the pull request's code: it gets the environment without any token (see trainingEnv).
 */
export async function train(run: RunCommand, command: string, cacheDir: string): Promise<void> {
  const [program, ...args] = splitCommand(command);
  if (!program) throw new ActionError('Input "train-command" is empty');
  const env = { ...trainingEnv(process.env), TEXTCAT_CACHE_DIR: cacheDir };
  const result = await run(program, args, { env, replaceEnv: true });
  if (result.exitCode !== 0) {
    throw new ActionError(`training failed (exit ${result.exitCode})${detail(result)}`);
  }
}

/** Splits a command line on spaces, honouring simple "double" and 'single' quotes (no shell). */
export function splitCommand(command: string): string[] {
  const parts = command.match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
  return parts.map((part) => part.replace(/^(["'])(.*)\1$/, "$2"));
}

/**
 * Variables that hold credentials in a JavaScript action's process: the action's inputs (github-token,
 * push-token arrive as INPUT_*), the runner's cache token and the OIDC request token.
 */
const CREDENTIAL_VARIABLES =
  /^(INPUT_.*|GITHUB_TOKEN|ACTIONS_RUNTIME_TOKEN|ACTIONS_ID_TOKEN_REQUEST_(TOKEN|URL))$/i;

/** The action's environment minus every credential, for code from the pull request. */
export function trainingEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && !CREDENTIAL_VARIABLES.test(key)) kept[key] = value;
  }
  return kept;
}
