import { exec } from "@textcat/kit/process";

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface CommandOptions {
  /** Written to the command's standard input (e.g. a password for `docker login --password-stdin`). */
  input?: string;
  /** Added to (not replacing) the action's environment, unless `replaceEnv`. */
  env?: Record<string, string>;
  /** The command gets `env` alone, nothing of the action's environment (e.g. not its token inputs). */
  replaceEnv?: boolean;
  cwd?: string;
  /** Don't echo the command's output to the log. */
  silent?: boolean;
}

/**
 * Runs a command and returns its exit code and output instead of throwing on failure, so each
 * caller turns a failure into its own one-line message. Swappable in tests.
 */
export type RunCommand = (
  command: string,
  args?: string[],
  options?: CommandOptions,
) => Promise<CommandResult>;

/**
 * The repository's one process runner (@textcat/kit/process), logging as @actions/exec did: a
 * `[command]…` line, then the command's output on stdout. The runner parses stdout and stderr alike
 * for workflow commands (actions/runner src/Runner.Worker/Handlers/NodeScriptActionHandler.cs hands
 * both streams to an OutputManager over the ActionCommandManager), so neither stream is safer.
 */
export const runCommand: RunCommand = async (command, args = [], options = {}) => {
  const silent = options.silent ?? false;
  if (!silent) process.stdout.write(`[command]${[command, ...args].join(" ")}\n`);
  const result = await exec(command, args, {
    quiet: silent,
    echoTo: process.stdout,
    cwd: options.cwd,
    input: options.input,
    env: options.env ? (options.replaceEnv ? options.env : { ...process.env, ...options.env }) : undefined,
  });
  return { exitCode: result.code, stdout: result.stdout, stderr: result.stderr };
};

/** The last non-empty line of a command's output, for a one-line failure message. */
export function lastLine(text: string): string {
  const lines = text.split(/\r?\n/).filter((line) => line.trim().length > 0);
  return (lines[lines.length - 1] ?? "").trim();
}

/** ": <last line of stderr, else stdout>" for a failure message, or "" when the command printed nothing. */
export function failureDetail(result: CommandResult): string {
  const line = lastLine(result.stderr) || lastLine(result.stdout);
  return line ? `: ${line}` : "";
}
