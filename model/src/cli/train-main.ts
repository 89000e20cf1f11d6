/** The train command's I/O: arguments in, artifacts out, a one-line error and an exit code on failure. */
import { DataError } from "../data/errors.js";
import { ClassifierParamsError } from "../learn/classifier.js";
import { VectorizerParamsError } from "../learn/vectorizer.js";
import { EXIT_USAGE, UsageError } from "@textcat/kit/args";
import { parseTrainArgs, TRAIN_USAGE } from "./args.js";
import { createProgress, type ProgressStream } from "./progress.js";
import { checkDataOnly, trainModel } from "./train-model.js";
import { errorMessage } from "@textcat/kit/errors";

export const EXIT_OK = 0;
export const EXIT_UNEXPECTED = 1;

export interface Io {
  stdout: { write(text: string): unknown };
  stderr: ProgressStream;
}

function isUserError(error: unknown): boolean {
  return [UsageError, DataError, VectorizerParamsError, ClassifierParamsError].some(
    (type) => error instanceof type,
  );
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  try {
    const args = parseTrainArgs(argv);
    if (args === "help") {
      io.stdout.write(`${TRAIN_USAGE}\n`);
      return EXIT_OK;
    }
    const progress = createProgress(io.stderr, args.quiet);
    const print = (text: string) => io.stdout.write(text);
    if (args.checkDataOnly) {
      await checkDataOnly(args, progress, print);
      io.stdout.write(`${args.config}: data check passed; wrote ${args.out}\n`);
      return EXIT_OK;
    }
    const metrics = await trainModel(args, progress, print);
    io.stdout.write(
      `${args.config}: accuracy ${metrics.accuracy.toFixed(4)}, macro-F1 ${metrics.macro_f1.toFixed(4)} ` +
        `(majority baseline ${metrics.baseline.accuracy.toFixed(4)}), ${metrics.features} features, ` +
        `model ${(metrics.model_bytes / 1024 / 1024).toFixed(2)} MB; ONNX parity ${metrics.parity.label_agreement}/` +
        `${metrics.parity.docs} labels, max |Δprob| ${metrics.parity.max_abs_prob_diff.toExponential(2)}; ` +
        `wrote ${args.out}\n`,
    );
    return EXIT_OK;
  } catch (error) {
    io.stderr.write(`error: ${errorMessage(error)}\n`);
    return isUserError(error) ? EXIT_USAGE : EXIT_UNEXPECTED;
  }
}
