/**
 * `--name value` (or `--name=value`) string options of a command-line script, read by node:util's
 * parseArgs into a typed object. Anything else is a UsageError naming the options it knows.
 */
import { parseArgs } from "node:util";
import { errorMessage } from "./errors.js";

export class UsageError extends Error {
  override name = "UsageError";
}

export function parseOptions<K extends string>(
  argv: readonly string[],
  known: readonly K[],
): Partial<Record<K, string>> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: Object.fromEntries(known.map((name) => [name, { type: "string" as const }])),
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    const options = known.map((name) => `--${name}`).join(", ");
    throw new UsageError(`${errorMessage(error)}; options: ${options}`, { cause: error });
  }
  for (const [name, value] of Object.entries(values)) {
    if (value === "") throw new UsageError(`--${name} needs a value`);
  }
  return values as Partial<Record<K, string>>;
}
