/**
 * `npm run bench:data [-- --data <archive|folder|file>]`: time and memory of loading a corpus (default: the
 * shared 20news-bydate archive) and of the data check that runs before training. Prints one JSON line of numbers; cpu_seconds is the number to compare
 * on a busy machine, where wall time mostly measures the other processes.
 */
import { resolve } from "node:path";
import { summarizeData } from "../src/data/data-check.js";
import { EXIT_USAGE, parseCommandLine } from "@textcat/kit/args";
import { errorMessage } from "@textcat/kit/errors";
import { loadCorpus } from "../src/data/load-corpus.js";

const DEFAULT_BENCH_DATA = resolve(import.meta.dirname, "../../../shared/data/20news-bydate.tar.gz");

async function main(spec: string): Promise<number> {
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  try {
    const corpus = await loadCorpus(spec);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const checkStarted = performance.now();
    const cpuBeforeCheck = process.cpuUsage();
    const summary = summarizeData(corpus);
    const checkCpu = process.cpuUsage(cpuBeforeCheck);
    const checkSeconds = (performance.now() - checkStarted) / 1000;
    const characters = [...corpus.train, ...corpus.test].reduce((sum, doc) => sum + doc.text.length, 0);
    const result = {
      data: spec,
      load_seconds: Number(seconds.toFixed(3)),
      cpu_seconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(3)),
      train_docs: corpus.train.length,
      test_docs: corpus.test.length,
      labels: new Set(corpus.train.map((doc) => doc.label)).size,
      characters,
      rss_growth_mb: Math.round((process.memoryUsage().rss - rssBefore) / 2 ** 20),
      sha256: corpus.sha256,
      data_check_seconds: Number(checkSeconds.toFixed(3)),
      data_check_cpu_seconds: Number(((checkCpu.user + checkCpu.system) / 1e6).toFixed(3)),
      shared_exact: summary.shared_exact,
      shared_near: summary.shared_near,
    };
    console.log(JSON.stringify(result));
    return 0;
  } catch (error) {
    console.error(`error: ${errorMessage(error)}`);
    return EXIT_USAGE;
  }
}

const USAGE = "usage: npm run bench:data -- [--data <archive|folder|file>]";
try {
  const { data } = parseCommandLine(
    process.argv.slice(2),
    { data: { type: "string", default: DEFAULT_BENCH_DATA } },
    USAGE,
  );
  process.exitCode = await main(data);
} catch (error) {
  console.error(`error: ${errorMessage(error)}`);
  process.exitCode = EXIT_USAGE;
}
