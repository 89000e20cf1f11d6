/**
 * Benchmark of the learner on the 20 Newsgroups archive (or any corpus `loadCorpus` reads): fits a
 * named config on the train split, scores the test split, prints one JSON line (accuracy, macro-F1,
 * chosen C, features, fit seconds split into vectorize / cv / refit, peak RSS, CPU seconds) and, given
 * scikit-learn's reference JSON, the ratios. Progress (wall and CPU seconds) goes to stderr.
 *
 *   npm run bench:train -- [--data <archive|folder|file|fixture>] [--config seed|default]
 *                          [--reference <json>] [--threads 1|2] [--quiet]
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseCommandLine } from "@textcat/kit/args";
import { errorMessage } from "@textcat/kit/errors";
import { CONFIGS, fitPipeline, isConfigName, predictProba } from "../src/learn/index.js";
import { loadCorpus } from "../src/data/load-corpus.js";
import { accuracy, macroF1 } from "./scores.js";

const DEFAULT_ARCHIVE = resolve(import.meta.dirname, "../../../shared/data/20news-bydate.tar.gz");
const USAGE =
  "usage: npm run bench:train -- [--data <archive|folder|file|fixture>] [--config seed|default] " +
  "[--reference <json>] [--threads 1|2] [--quiet]";

function fail(message: string): never {
  process.stderr.write(`bench:train: ${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    values = parseCommandLine(
      process.argv.slice(2),
      {
        data: { type: "string", default: DEFAULT_ARCHIVE },
        config: { type: "string", default: "seed" },
        reference: { type: "string" },
        threads: { type: "string" },
        quiet: { type: "boolean", default: false },
      },
      USAGE,
    );
  } catch (error) {
    fail(errorMessage(error));
  }
  if (!isConfigName(values.config)) fail(`unknown --config "${values.config}" (seed or default)`);
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && threads !== 1 && threads !== 2) fail(`--threads must be 1 or 2`);
  const reference = values.reference === undefined ? undefined : readReference(values.reference);

  const corpus = await loadCorpus(values.data).catch((error: unknown) => fail((error as Error).message));
  const config = CONFIGS[values.config];
  const fitted = await fitPipeline(
    corpus.train,
    config,
    values.quiet
      ? undefined
      : (event) => process.stderr.write(`${elapsed()} [${event.stage}] ${event.message}\n`),
    { threads },
  );
  const predicted = predictProba(
    fitted.vectorizer,
    fitted.classifier,
    corpus.test.map((doc) => doc.text),
  ).labels;
  const truth = corpus.test.map((doc) => doc.label);
  const fitSeconds = fitted.timings.totalSeconds;
  const result = {
    config: config.name,
    train_docs: corpus.train.length,
    test_docs: corpus.test.length,
    accuracy: round(accuracy(truth, predicted), 4),
    macro_f1: round(macroF1(truth, predicted), 4),
    C: fitted.classifier.C,
    features: fitted.vectorizer.vocabulary.length,
    fit_s: round(fitSeconds, 1),
    vectorize_s: round(fitted.timings.vectorizeSeconds, 1),
    cv_s: round(fitted.timings.cvSeconds, 1),
    refit_s: round(fitted.timings.refitSeconds, 1),
    threads: threads ?? "auto",
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    process_cpu_s: round((process.cpuUsage().user + process.cpuUsage().system) / 1e6, 1),
    ...(reference && {
      reference,
      fit_time_ratio: round(fitSeconds / reference.fit_s, 3),
      accuracy_delta: round(accuracy(truth, predicted) - reference.accuracy, 4),
    }),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

const startedAt = performance.now();

/** Wall and CPU seconds (all threads) since start: the machine is shared, so both matter. */
function elapsed(): string {
  const cpu = process.cpuUsage();
  const wall = (performance.now() - startedAt) / 1000;
  return `${wall.toFixed(1)}s wall ${((cpu.user + cpu.system) / 1e6).toFixed(1)}s cpu`;
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

function readReference(path: string): { accuracy: number; fit_s: number } & Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    fail(`cannot read reference ${path}: ${(error as Error).message}`);
  }
  const record = parsed as Record<string, unknown>;
  if (typeof record.accuracy !== "number" || typeof record.fit_s !== "number") {
    fail(`reference ${path} has no numeric "accuracy" and "fit_s"`);
  }
  return record as { accuracy: number; fit_s: number };
}

await main();
