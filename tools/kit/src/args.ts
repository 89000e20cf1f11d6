/**
 * Every command-line script reads its arguments here, with node:util's parseArgs (strict, no
 * positionals). A mistake is a UsageError: the caller prints its one line and exits 2.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { errorMessage } from "./errors.js";

export class UsageError extends Error {
  override name = "UsageError";
}

/** The exit code of a command given bad arguments or bad input: the user can fix it. */
export const EXIT_USAGE = 2;

/**
 * The options' values, typed from `options`. `hint` (a usage line, or the options to use) follows
 * parseArgs's own first line in the error, e.g. "Unknown option '--fast' (usage: …)".
 */
/** What parseArgs accepts as `options` (its own type is not exported by @types/node). */
type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;

export function parseCommandLine<const O extends OptionsConfig>(
  argv: readonly string[],
  options: O,
  hint: string,
) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(`${errorMessage(error).split("\n")[0]} (${hint})`, { cause: error });
  }
}

/** `--name value` (or `--name=value`) string options only; an empty value is refused too. */
export function parseOptions<K extends string>(
  argv: readonly string[],
  known: readonly K[],
): Partial<Record<K, string>> {
  const names = known.map((name) => `--${name}`).join(", ");
  const values = parseCommandLine(
    argv,
    Object.fromEntries(known.map((name) => [name, { type: "string" as const }])),
    `options: ${names}`,
  ) as Record<string, string | undefined>;
  for (const [name, value] of Object.entries(values)) {
    if (value === "") throw new UsageError(`--${name} needs a value`);
  }
  return values as Partial<Record<K, string>>;
}
