/** Parses the train CLI's arguments once into a typed object; every mistake is a one-line UsageError. */
import { parseCommandLine, UsageError } from "@textcat/kit/args";
import { CONFIGS, isConfigName, type ConfigName } from "../learn/configs.js";

export const TRAIN_USAGE =
  "usage: npm run train -- [--data <archive|folder|file.csv|file.jsonl|fixture>] [--config " +
  `${Object.keys(CONFIGS).join("|")}] --out <dir> [--test <file>] [--check-data-only] [--quiet]`;

export interface TrainArgs {
  /** Undefined: the canonical 20news-bydate archive, downloaded and verified into the cache. */
  data: string | undefined;
  config: ConfigName;
  out: string;
  test: string | undefined;
  /** Check the data and write its summary, without training. */
  checkDataOnly: boolean;
  quiet: boolean;
}

export function parseTrainArgs(argv: readonly string[]): TrainArgs | "help" {
  const values = parseCommandLine(
    argv,
    {
      data: { type: "string" },
      config: { type: "string", default: "default" },
      out: { type: "string" },
      test: { type: "string" },
      "check-data-only": { type: "boolean", default: false },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    TRAIN_USAGE,
  );
  if (values.help) return "help";
  if (!isConfigName(values.config)) {
    throw new UsageError(
      `unknown config "${values.config}": expected one of ${Object.keys(CONFIGS).join(", ")}`,
    );
  }
  if (values.out === undefined || values.out === "")
    throw new UsageError(`--out <dir> is required (${TRAIN_USAGE})`);
  if (values.data === "")
    throw new UsageError("--data needs a path (or leave it out to download 20news-bydate)");
  return {
    data: values.data,
    config: values.config,
    out: values.out,
    test: values.test,
    checkDataOnly: values["check-data-only"],
    quiet: values.quiet,
  };
}
