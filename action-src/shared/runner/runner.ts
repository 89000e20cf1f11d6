/**
 * Runs a bundled JavaScript action the way the GitHub runner does: action.yml's input defaults
 * under the given inputs, INPUT_<NAME> variables, the command files (GITHUB_OUTPUT, …) and
 * `node dist/index.js`. Tests and the local pipeline story both run actions through here.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { errorMessage } from "@textcat/kit/errors";
import { exec } from "@textcat/kit/process";
import { parse } from "yaml";

/** An action's action.yml; `Step` is the caller's type for a composite action's steps. */
export interface ActionMetadata<Step = unknown> {
  /** A default is a YAML scalar: `default: false` reads as a boolean, `default: 3` as a number. */
  inputs: Record<string, { description?: string; default?: string | number | boolean; required?: boolean }>;
  outputs: Record<string, { description?: string; value?: string }>;
  runs: { using: string; main?: string; post?: string; steps?: Step[] };
}

/** An action.yml that is missing, is not YAML, or says no `runs.using`, named with its path. */
export class ActionYmlError extends Error {}

/** The one reader of action.yml (with the `yaml` package); absent `inputs`/`outputs` read as none. */
export function readActionYml<Step = unknown>(actionDir: string): ActionMetadata<Step> {
  const path = join(actionDir, "action.yml");
  if (!existsSync(path)) throw new ActionYmlError(`no action.yml at ${path}`);
  let parsed: Partial<ActionMetadata<Step>> | null;
  try {
    parsed = parse(readFileSync(path, "utf8")) as Partial<ActionMetadata<Step>> | null;
  } catch (error) {
    throw new ActionYmlError(`${path}: ${errorMessage(error)}`, { cause: error });
  }
  if (!parsed?.runs?.using) throw new ActionYmlError(`${path}: no runs.using`);
  return { ...parsed, inputs: parsed.inputs ?? {}, outputs: parsed.outputs ?? {}, runs: parsed.runs };
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
    Object.entries(metadata.inputs)
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
