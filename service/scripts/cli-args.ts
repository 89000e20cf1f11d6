/** `--name value` options of the image scripts, parsed once into a typed object. */
export class UsageError extends Error {
  override name = "UsageError";
}

export function parseOptions<K extends string>(
  argv: string[],
  known: readonly K[],
): Partial<Record<K, string>> {
  const options: Partial<Record<K, string>> = {};
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? "";
    const [flag = "", inlineValue] = arg.split(/=(.*)/s, 2);
    const name = flag.replace(/^--/, "") as K;
    if (!flag.startsWith("--") || !known.includes(name)) {
      throw new UsageError(
        `unknown argument ${JSON.stringify(arg)}; options: ${known.map((k) => `--${k}`).join(", ")}`,
      );
    }
    const value = inlineValue ?? argv[++index];
    if (value === undefined || value === "") throw new UsageError(`--${name} needs a value`);
    options[name] = value;
  }
  return options;
}
