/**
 * The train command's work: load data, fit, evaluate against the majority baseline, export ONNX, check
 * that onnxruntime answers the test split like the TypeScript pipeline, and write the artifacts.
 */
import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { access, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ARTIFACT_FILES } from "@textcat/contract";
import { loadCorpus } from "../data/load-corpus.js";
import { renderConfusionMatrixSvg } from "../evaluate/confusion-svg.js";
import { evaluate, majorityBaseline } from "../evaluate/metrics.js";
import { renderReport } from "../evaluate/report.js";
import { headlineMetrics, type TrainingMetrics } from "../evaluate/training-metrics.js";
import { CONFIGS } from "../learn/configs.js";
import { fitPipeline, predictProba } from "../learn/pipeline.js";
import { exportOnnx } from "../onnx/export.js";
import { loadOnnxModel, predictInBatches } from "../onnx/run.js";
import { UsageError } from "@textcat/kit/args";
import type { TrainArgs } from "./args.js";
import { checkCorpus, type Print, writeDataSummary } from "./check-data.js";
import type { DataSummary } from "../data/data-check.js";
import { compareAnswers, describeParity, parityHolds, PARITY_TOLERANCE } from "./parity.js";
import type { Progress } from "./progress.js";
import { trainerVersion } from "./version.js";

/** onnxruntime disagreed with the TypeScript pipeline: the exported graph breaks the contract. */
export class ParityError extends Error {
  override name = "ParityError";
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const seconds = (since: number) => Math.round((performance.now() - since) / 100) / 10;

/** Fails before the long work, not after it, when the output directory cannot be created or written. */
async function prepareOutputDir(out: string): Promise<void> {
  try {
    await mkdir(out, { recursive: true });
    await access(out, constants.W_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? "cannot be used";
    throw new UsageError(`--out ${out}: not a writable directory (${reason})`);
  }
}

/** Loads and checks the data only: prints its summary and writes data-summary.json, or throws DataCheckError. */
export async function checkDataOnly(args: TrainArgs, progress: Progress, print: Print): Promise<DataSummary> {
  await prepareOutputDir(args.out);
  const corpus = await loadCorpus(args.data, { testSpec: args.test, onProgress: progress });
  const summary = checkCorpus(corpus, args.config, print);
  await writeDataSummary(args.out, summary);
  return summary;
}

export async function trainModel(
  args: TrainArgs,
  progress: Progress,
  print: Print = () => {},
): Promise<TrainingMetrics> {
  const started = performance.now();
  await prepareOutputDir(args.out);
  const config = CONFIGS[args.config];
  const corpus = await loadCorpus(args.data, { testSpec: args.test, onProgress: progress });
  const dataSummary = checkCorpus(corpus, args.config, print);
  const loadSeconds = seconds(started);

  const onFitProgress = (event: { message: string }) => progress(event.message);
  const { vectorizer, classifier, timings } = await fitPipeline(corpus.train, config, onFitProgress);
  const labels = classifier.labels;

  let stage = performance.now();
  progress(`evaluating on ${corpus.test.length} test documents`);
  const testTexts = corpus.test.map((doc) => doc.text);
  const prediction = predictProba(vectorizer, classifier, testTexts);
  const evaluation = evaluate(
    corpus.test.map((doc) => doc.label),
    prediction.labels,
    labels,
  );
  const baseline = majorityBaseline(
    corpus.train.map((doc) => doc.label),
    corpus.test.map((doc) => doc.label),
    labels,
  );
  const evaluateSeconds = seconds(stage);

  const summary = {
    accuracy: evaluation.accuracy,
    macro_f1: evaluation.macroF1,
    baseline: {
      strategy: "majority class" as const,
      label: baseline.label,
      accuracy: baseline.accuracy,
      macro_f1: baseline.macroF1,
    },
    train_docs: corpus.train.length,
    test_docs: corpus.test.length,
    features: vectorizer.vocabulary.length,
    labels,
    config: config.name,
    config_params: config,
    C: classifier.C,
    cross_validation: {
      C: classifier.crossValidation.Cs,
      mean_accuracy: classifier.crossValidation.meanAccuracy,
    },
    data_source: corpus.source,
    data_sha256: corpus.sha256,
    trainer_version: trainerVersion(),
    per_class: evaluation.perClass,
    confusion_matrix: evaluation.confusionMatrix,
  };

  stage = performance.now();
  progress("exporting ONNX");
  const model = exportOnnx({
    vectorizer,
    classifier,
    metadata: {
      configName: config.name,
      config: config as unknown as Record<string, unknown>,
      metrics: headlineMetrics(summary),
      trainingDataSha256: corpus.sha256,
      trainerVersion: summary.trainer_version,
    },
  });
  await writeFile(join(args.out, ARTIFACT_FILES.model), model);
  const exportSeconds = seconds(stage);

  stage = performance.now();
  progress(`checking onnxruntime against the TypeScript pipeline on ${testTexts.length} documents`);
  const session = await loadOnnxModel(model);
  const parity = compareAnswers(prediction, await predictInBatches(session, testTexts));
  await session.release();
  progress(describeParity(parity));
  if (!parityHolds(parity)) {
    throw new ParityError(`${describeParity(parity)}; must agree on every label within ${PARITY_TOLERANCE}`);
  }
  const paritySeconds = seconds(stage);

  const metrics: TrainingMetrics = {
    ...summary,
    model_sha256: sha256(model),
    model_bytes: model.length,
    parity,
    timings: {
      load_data: loadSeconds,
      vectorize: round(timings.vectorizeSeconds),
      cross_validation: round(timings.cvSeconds),
      refit: round(timings.refitSeconds),
      evaluate: evaluateSeconds,
      export: exportSeconds,
      onnx_parity: paritySeconds,
      total: seconds(started),
    },
  };
  await writeFile(join(args.out, ARTIFACT_FILES.metrics), JSON.stringify(metrics, null, 2) + "\n");
  await writeFile(
    join(args.out, ARTIFACT_FILES.confusionMatrix),
    renderConfusionMatrixSvg(evaluation.confusionMatrix, labels),
  );
  await writeFile(join(args.out, ARTIFACT_FILES.report), renderReport(metrics));
  await writeDataSummary(args.out, dataSummary);
  return metrics;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
