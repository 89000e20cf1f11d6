/**
 * `npm run bench:parity -- --data <archive> --model <dir>/model.onnx`: answers the test split with
 * onnxruntime and with the TypeScript pipeline (weights read back from the same file) and prints how
 * many documents were compared, how many labels agree and the largest probability difference.
 */
import { readFile } from "node:fs/promises";
import { loadCorpus } from "../src/data/load-corpus.js";
import { DataError } from "../src/data/errors.js";
import { predictProba } from "../src/learn/pipeline.js";
import { importOnnx, OnnxImportError } from "../src/onnx/import.js";
import { ModelContractError } from "@textcat/contract";
import { loadOnnxModel, predictInBatches } from "../src/onnx/run.js";
import { compareAnswers, describeParity, parityHolds, PARITY_TOLERANCE } from "../src/cli/parity.js";
import { EXIT_UNEXPECTED } from "../src/cli/train-main.js";
import { errorMessage } from "@textcat/kit/errors";
import { EXIT_USAGE, parseCommandLine, UsageError } from "@textcat/kit/args";

const USAGE =
  "usage: npm run bench:parity -- [--data <archive|folder|file|fixture>] [--test <file>] --model <model.onnx>";

function parse(argv: string[]) {
  const values = parseCommandLine(
    argv,
    { data: { type: "string" }, model: { type: "string" }, test: { type: "string" } },
    USAGE,
  );
  if (!values.model) throw new UsageError(`--model <model.onnx> is required (${USAGE})`);
  return { data: values.data, model: values.model, test: values.test };
}

async function readModel(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new UsageError(
      `--model ${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`,
    );
  }
}

async function run(argv: string[]): Promise<number> {
  const args = parse(argv);
  const bytes = await readModel(args.model);
  const { vectorizer, classifier } = importOnnx(bytes);
  const corpus = await loadCorpus(args.data, { testSpec: args.test });
  const texts = corpus.test.map((doc) => doc.text);
  let started = performance.now();
  const reference = predictProba(vectorizer, classifier, texts);
  const typescriptSeconds = (performance.now() - started) / 1000;
  const session = await loadOnnxModel(bytes);
  started = performance.now();
  const candidate = await predictInBatches(session, texts);
  const onnxSeconds = (performance.now() - started) / 1000;
  await session.release();
  const result = compareAnswers(reference, candidate);
  console.log(`model: ${args.model} (${(bytes.length / 1024 / 1024).toFixed(2)} MB)`);
  console.log(`docs compared: ${result.docs}`);
  console.log(`label agreement: ${result.label_agreement}/${result.docs}`);
  console.log(`max |Δprob|: ${result.max_abs_prob_diff.toExponential(2)} (tolerance ${PARITY_TOLERANCE})`);
  console.log(`time: TypeScript ${typescriptSeconds.toFixed(1)} s, onnxruntime ${onnxSeconds.toFixed(1)} s`);
  const holds = parityHolds(result);
  console.log(holds ? "parity: ok" : `parity: FAILED (${describeParity(result)})`);
  return holds ? 0 : 1;
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (error) {
  console.error(`error: ${errorMessage(error)}`);
  const isUserError = [UsageError, DataError, ModelContractError, OnnxImportError].some(
    (type) => error instanceof type,
  );
  process.exitCode = isUserError ? EXIT_USAGE : EXIT_UNEXPECTED;
}
