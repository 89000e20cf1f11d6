/** Runs a command, streaming or capturing its output; a non-zero exit becomes an error with the command's stderr. */
import { spawn } from "node:child_process";

export interface ExecOptions {
  input?: { pipe(destination: NodeJS.WritableStream): unknown } | string;
  /** Don't copy the command's output to this process's stderr. */
  quiet?: boolean;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Called with each chunk of stdout and stderr as it arrives, in arrival order. */
  onOutput?: (text: string) => void;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function exec(command: string, args: string[], options: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ["pipe", "pipe", "pipe"],
      env: options.env ?? process.env,
      cwd: options.cwd,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      options.onOutput?.(chunk.toString());
      if (!options.quiet) process.stderr.write(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      options.onOutput?.(chunk.toString());
      if (!options.quiet) process.stderr.write(chunk);
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    if (typeof options.input === "string") child.stdin.end(options.input);
    else if (options.input !== undefined) options.input.pipe(child.stdin);
    else child.stdin.end();
  });
}

/** Like exec, but rejects on a non-zero exit. */
export async function run(command: string, args: string[], options: ExecOptions = {}): Promise<string> {
  const result = await exec(command, args, options);
  if (result.code !== 0) {
    const detail = (result.stderr || result.stdout).trim().split("\n").slice(-5).join("\n");
    throw new Error(`${command} ${args.slice(0, 3).join(" ")} … exited with ${result.code}: ${detail}`);
  }
  return result.stdout;
}

export async function imageExists(reference: string): Promise<boolean> {
  return (await exec("docker", ["image", "inspect", reference], { quiet: true })).code === 0;
}
