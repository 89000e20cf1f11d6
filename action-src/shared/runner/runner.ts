/**
 * Runs a bundled JavaScript action the way the GitHub runner does: action.yml's input defaults
 * under the given inputs, INPUT_<NAME> variables, the command files (GITHUB_OUTPUT, …) and
 * `node dist/index.js`. Tests and the local pipeline story both run actions through here.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { exec } from "@textcat/kit/process";
import { parse } from "yaml";

export interface ActionMetadata {
  inputs: Record<string, { description?: string; default?: string; required?: boolean }>;
  outputs: Record<string, { description?: string }>;
  runs: { using: string; main: string; post?: string };
}

export function readActionYml(actionDir: string): ActionMetadata {
  return parse(readFileSync(join(actionDir, "action.yml"), "utf8")) as ActionMetadata;
}

/**
 * The input defaults the runner applies before it starts the action. `${{ … }}` expressions are
 * evaluated by the caller's table; unknown ones become empty, as on a runner without that context.
 */
export function inputDefaults(
  metadata: ActionMetadata,
  expressions: Record<string, string> = {},
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(metadata.inputs ?? {})
      .filter(([, input]) => input.default !== undefined)
      .map(([name, input]) => [
        name,
        String(input.default).replace(
          /\$\{\{\s*([^}]+?)\s*\}\}/g,
          (_match, expression: string) => expressions[expression] ?? "",
        ),
      ]),
  );
}

/** The environment variable the runner passes an input in. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}

export function inputVariables(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).map(([name, value]) => [inputVariable(name), value]));
}

/** GITHUB_OUTPUT holds `name=value` lines and `name<<DELIMITER` … `DELIMITER` blocks. */
export function parseGitHubOutput(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? "";
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = "", delimiter] = heredoc;
      const value: string[] = [];
      while (index + 1 < lines.length && lines[index + 1] !== delimiter) value.push(lines[++index] ?? "");
      index++;
      outputs[name] = value.join("\n");
      continue;
    }
    const equals = line.indexOf("=");
    if (equals > 0) outputs[line.slice(0, equals)] = line.slice(equals + 1);
  }
  return outputs;
}

export interface BundleRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they arrived. */
  log: string;
}

/** `node <actionDir>/dist/index.js` with exactly `env`; a bundle that cannot start exits 127. */
export async function runBundle(
  actionDir: string,
  env: NodeJS.ProcessEnv,
  options: { cwd: string; onOutput?: (text: string) => void },
): Promise<BundleRun> {
  let log = "";
  const onOutput = (text: string): void => {
    log += text;
    options.onOutput?.(text);
  };
  try {
    const result = await exec(process.execPath, [join(actionDir, "dist", "index.js")], {
      env,
      cwd: options.cwd,
      quiet: true,
      onOutput,
    });
    return { exitCode: result.code, stdout: result.stdout, stderr: result.stderr, log };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { exitCode: 127, stdout: "", stderr: message, log: `${log}\n${message}` };
  }
}
