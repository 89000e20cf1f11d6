/**
 * The one way this repository runs a child process: `start` for a long-lived child (a server, a
 * container in the foreground), `exec` for a command whose output is wanted, `run` for one that must
 * succeed, and `runSync` for test fixtures that must stay synchronous. Failures are CommandErrors
 * that name the command and keep the cause.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** "inherit": the command reads and writes this process's own stdin/stdout/stderr (nothing captured). */
  stdio?: "pipe" | "inherit";
}

export interface ExecOptions extends StartOptions {
  input?: { pipe(destination: NodeJS.WritableStream): unknown } | string;
  /** Don't copy the command's output to `echoTo`. */
  quiet?: boolean;
  /** Where the command's output is copied as it arrives (default: this process's stderr). */
  echoTo?: NodeJS.WritableStream;
  /** Called with each chunk of stdout and stderr as it arrives, in arrival order. */
  onOutput?: (text: string) => void;
  /** Sends SIGTERM after this long and fails with a CommandError saying so. */
  timeoutMs?: number;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Exit {
  /** The exit code, or 1 when a signal ended the process. */
  code: number;
  signal: NodeJS.Signals | null;
}

export interface Started {
  child: ChildProcess;
  /** Settles once the process has exited and closed its output; rejects when it could not start. */
  exited: Promise<Exit>;
}

/** A command that could not start, failed or timed out; `result` holds what it printed. */
export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly args: readonly string[],
    message: string,
    readonly result?: ExecResult,
    options?: ErrorOptions,
  ) {
    super(`${describeCommand(command, args)} ${message}`, options);
    this.name = "CommandError";
  }

  get code(): number | undefined {
    return this.result?.code;
  }

  get stdout(): string {
    return this.result?.stdout ?? "";
  }

  get stderr(): string {
    return this.result?.stderr ?? "";
  }
}

export function describeCommand(command: string, args: readonly string[]): string {
  return [command, ...args.slice(0, 3), ...(args.length > 3 ? ["…"] : [])].join(" ");
}

export function start(command: string, args: string[], options: StartOptions = {}): Started {
  const child = spawn(command, args, {
    stdio: options.stdio === "inherit" ? "inherit" : ["pipe", "pipe", "pipe"],
    env: options.env ?? process.env,
    cwd: options.cwd,
  });
  const exited = new Promise<Exit>((resolve, reject) => {
    child.on("error", (error) =>
      reject(new CommandError(command, args, "could not start", undefined, { cause: error })),
    );
    child.on("close", (code, signal) => resolve({ code: code ?? 1, signal }));
  });
  return { child, exited };
}

/** Runs a command to its end; a non-zero exit is returned, not thrown. */
export async function exec(command: string, args: string[], options: ExecOptions = {}): Promise<ExecResult> {
  if (options.stdio === "inherit" && options.input !== undefined)
    throw new CommandError(command, args, "cannot take input while inheriting stdin");
  const { child, exited } = start(command, args, options);
  let stdout = "";
  let stderr = "";
  const capture = (into: "stdout" | "stderr") => (chunk: Buffer) => {
    const text = chunk.toString();
    if (into === "stdout") stdout += text;
    else stderr += text;
    options.onOutput?.(text);
    if (!options.quiet) (options.echoTo ?? process.stderr).write(chunk);
  };
  child.stdout?.on("data", capture("stdout"));
  child.stderr?.on("data", capture("stderr"));
  if (child.stdin) {
    // A command that exits without reading all its input would otherwise crash this process (EPIPE).
    child.stdin.on("error", () => undefined);
    if (typeof options.input === "string") child.stdin.end(options.input);
    else if (options.input !== undefined) options.input.pipe(child.stdin);
    else child.stdin.end();
  }
  let timedOut = false;
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          child.kill("SIGTERM");
        }, options.timeoutMs);
  try {
    const { code } = await exited;
    const result = { code, stdout, stderr };
    if (timedOut) throw new CommandError(command, args, `timed out after ${options.timeoutMs} ms`, result);
    return result;
  } finally {
    clearTimeout(timer);
  }
}

/** Like exec, but a non-zero exit is a CommandError with the last lines the command printed. */
export async function run(command: string, args: string[], options: ExecOptions = {}): Promise<string> {
  const result = await exec(command, args, options);
  if (result.code !== 0) throw exitError(command, args, result);
  return result.stdout;
}

function exitError(command: string, args: string[], result: ExecResult): CommandError {
  const detail = (result.stderr || result.stdout).trim().split("\n").slice(-5).join("\n");
  return new CommandError(command, args, `exited with ${result.code}: ${detail}`, result);
}

/** `run` that blocks (captured output, no echo): for synchronous test fixtures such as a git repository. */
export function runSync(
  command: string,
  args: string[],
  options: Pick<ExecOptions, "env" | "cwd" | "timeoutMs"> & { input?: string } = {},
): string {
  const child = spawnSync(command, args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    input: options.input ?? "",
    timeout: options.timeoutMs,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const result = { code: child.status ?? 1, stdout: child.stdout ?? "", stderr: child.stderr ?? "" };
  if (child.error) {
    const timedOut = (child.error as NodeJS.ErrnoException).code === "ETIMEDOUT";
    const message = timedOut ? `timed out after ${options.timeoutMs} ms` : "could not start";
    throw new CommandError(command, args, message, result, { cause: child.error });
  }
  if (result.code !== 0) throw exitError(command, args, result);
  return result.stdout;
}

/** Whether a command runs and exits 0: false too when it cannot start or times out. Not echoed. */
export function succeeds(command: string, args: string[], options: ExecOptions = {}): Promise<boolean> {
  return exec(command, args, { quiet: true, ...options }).then(
    (result) => result.code === 0,
    () => false,
  );
}

export function imageExists(reference: string): Promise<boolean> {
  return succeeds("docker", ["image", "inspect", reference]);
}
