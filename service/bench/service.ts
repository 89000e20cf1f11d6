/**
 * npm run bench:service [-- --model <path>] [--image <ref>] [--base-image <ref>] [--runs n] [--data <archive>]
 * Measures the service against its goals, beside scikit-learn's figures where it has one, and prints a
 * table and the JSON. Uses model/artifacts/model.onnx, or the tiny test model when there is none (then
 * the model-dependent numbers say little). Container numbers need --image (an image:build result).
 */
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { readArchive } from "@textcat/model/archive";
import { bundle } from "../build/bundle.mjs";
import { convertToOrt } from "../build/convert-to-ort.mjs";
import { ensureStandinBase } from "../base-image/build.js";
import { EXIT_USAGE, parseOptions, UsageError } from "@textcat/kit/args";
import { exec, run } from "@textcat/kit/process";
import { smokeThroughRuntimeApi } from "../scripts/image-smoke.js";
import type { LambdaHandler } from "../src/handler.js";
import { frontEndBatchMs, onnxruntimeFloorMs } from "./floors.js";
import { pinToOneCpu } from "./pin.js";
import {
  type BatchPass,
  type SklearnPasses,
  type SklearnServing,
  startSklearn,
  summarizeSklearn,
} from "./sklearn.js";
import { median, percentile, round, sum } from "./stats.js";

const REPO_ROOT = resolve(import.meta.dirname, "../..");
const WORK_DIR = resolve(REPO_ROOT, ".build/bench-service");
const DEFAULT_ARCHIVE = resolve(REPO_ROOT, "../shared/data/20news-bydate.tar.gz");
/** Ratios are textcat ÷ scikit-learn, both measured in this run on the same documents. */
const GOALS = {
  coldInitOverFloorMs: 100,
  coldInitRatio: 0.2,
  firstAnswerMs: 1000,
  warmP50Ratio: 0.5,
  batchRatio: 2,
  imageOverBaseMb: 60,
};
/** Passes of ours and scikit-learn's, alternated (scikit-learn's cold loads take seconds each). */
const SINGLE_ROUNDS = 4;
/** Texts per batch request, as sklearn_serving.py's batches. */
const BATCH_SIZE = 100;
const BATCH_ROUNDS = 3;
/**
 * Ours and scikit-learn's take turns by slices this small (50 requests, 4 batches: a fraction of a
 * second each), so that a slow spell of this shared machine, which lasts seconds, falls on both sides.
 */
const SINGLE_SLICE = 50;
const BATCH_SLICE = 4;
/**
 * Before each slice, both sides run its first requests untimed (5 single requests, 1 batch; WARM_UP in
 * sklearn_serving.py): the other side just ran, and the caches hold its data, not theirs.
 */
const SLICE_WARM_UP = 5;
const SKLEARN_COLD_LOADS = 3;

/** [from, to) ranges covering 0..length in steps of `size`. */
function slices(length: number, size: number): Array<[number, number]> {
  return Array.from({ length: Math.ceil(length / size) }, (_, i) => [
    i * size,
    Math.min(length, (i + 1) * size),
  ]);
}

async function prepareModel(explicit: string | undefined): Promise<{ path: string; kind: string }> {
  mkdirSync(WORK_DIR, { recursive: true });
  const committed = resolve(REPO_ROOT, "model/artifacts/model.onnx");
  const source = explicit ?? (existsSync(committed) ? committed : undefined);
  const target = resolve(WORK_DIR, "model.onnx");
  let kind: string;
  if (source !== undefined) {
    copyFileSync(source, target);
    kind = source === committed ? "committed model/artifacts/model.onnx" : source;
  } else {
    const { buildTinyModel } = await import("@textcat/model/testing/tiny-model");
    writeFileSync(target, buildTinyModel());
    kind =
      "tiny test model (no model/artifacts/model.onnx yet): model-dependent numbers are not representative";
  }
  const sha = createHash("sha256").update(readFileSync(target)).digest("hex");
  writeFileSync(resolve(WORK_DIR, "model.sha256"), `${sha}  model.onnx\n`);
  // As the image build does: the service then serves model.ort, verified against model.ort.sha256.
  await convertToOrt(target);
  return { path: target, kind };
}

/** The test split (scikit-learn's batch figure is its predict over all of it), or stand-in texts. */
async function testDocuments(archive: string): Promise<string[]> {
  if (!existsSync(archive))
    return Array.from({ length: 500 }, (_, i) =>
      `Document ${i}: the rocket team baked a recipe in orbit. `.repeat(20),
    );
  const source = await readArchive(archive, "latin1");
  const docs = source.kind === "split" ? source.test : source.docs;
  return docs.map((doc) => doc.text);
}

interface ColdInit {
  importMs: number;
  importCpuMs: number;
  sinceProcessStartMs: number;
}

/** Runs `times` fresh processes in turn, never side by side, so each is timed alone. */
/** A fresh node process imports the bundle (model load, digest check, session, warm-up run). */
async function coldInit(bundlePath: string, modelPath: string): Promise<ColdInit> {
  const script = `const c0 = process.cpuUsage(); const t0 = performance.now(); await import(${JSON.stringify(bundlePath)});
    const t1 = performance.now(); const c1 = process.cpuUsage(c0);
    process.stderr.write("COLD " + JSON.stringify({ importMs: t1 - t0, importCpuMs: (c1.user + c1.system) / 1000, sinceProcessStartMs: t1 }) + "\\n");`;
  const child = await exec(process.execPath, ["--input-type=module", "-e", script], {
    env: { ...process.env, MODEL_PATH: modelPath },
    quiet: true,
  });
  const line = child.stderr.split("\n").find((l) => l.startsWith("COLD "));
  if (child.code !== 0 || line === undefined)
    throw new Error(`cold init failed: ${child.stderr.slice(-500)}`);
  return JSON.parse(line.slice(5)) as ColdInit;
}

function httpEvent(body: unknown) {
  return {
    version: "2.0",
    rawPath: "/predict",
    rawQueryString: "",
    headers: { "content-type": "application/json" },
    requestContext: { http: { method: "POST" }, requestId: "bench", stage: "$default" },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}

/** Times each call; stdout writes (the log line and metrics) are formatted but not written. */
async function timeCalls(
  handler: LambdaHandler,
  events: unknown[],
  rounds: number,
  cpuSamples: number[] = [],
): Promise<number[]> {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = () => true;
  const samples: number[] = [];
  try {
    for (let round = 0; round < rounds; round += 1) {
      for (const event of events) {
        const cpu = process.cpuUsage();
        const started = performance.now();
        const result = (await handler(event)) as { statusCode?: number };
        samples.push(performance.now() - started);
        const used = process.cpuUsage(cpu);
        cpuSamples.push((used.user + used.system) / 1000);
        if (result.statusCode !== 200) throw new Error(`bench request answered ${result.statusCode}`);
      }
    }
  } finally {
    process.stdout.write = write;
  }
  return samples;
}

/** `docker run` of a container that does nothing: the engine's share of a first answer. */
async function containerStartTimes(image: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const started = performance.now();
    await run("docker", ["run", "--rm", "--network", "none", "--entrypoint", "/bin/true", image], {
      quiet: true,
    });
    times.push(performance.now() - started);
  }
  return times;
}

async function imageSizes(image: string, baseImage: string): Promise<{ imageMb: number; baseMb: number }> {
  const size = async (ref: string) =>
    Number(
      (await run("docker", ["image", "inspect", "--format", "{{.Size}}", ref], { quiet: true })).trim(),
    ) / 1e6;
  return { imageMb: round(await size(image), 1), baseMb: round(await size(baseImage), 1) };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), [
    "model",
    "image",
    "base-image",
    "runs",
    "data",
  ] as const);
  const archive = resolve(options.data ?? DEFAULT_ARCHIVE);
  const runs = Number(options.runs ?? 5);
  const loadAtStart = loadavg().map((v) => round(v, 2));
  const cpuAtStart = process.cpuUsage();
  const model = await prepareModel(options.model);
  const bundlePath = await bundle(WORK_DIR);
  const { buildTinyModel } = await import("@textcat/model/testing/tiny-model");
  const tinyPath = resolve(WORK_DIR, "tiny.onnx");
  writeFileSync(tinyPath, buildTinyModel());
  const docs = await testDocuments(archive);
  const sklearn = await startSklearn(archive, docs, WORK_DIR);
  const reference = sklearn.ran ? sklearn.reference : undefined;
  const notRunReason = sklearn.ran ? undefined : sklearn.reason;
  try {
    const theirs: SklearnPasses = { singles: [], batches: [], colds: [] };
    // Ours, the floor and scikit-learn alternate, so a change of load during the run weighs on all alike.
    const cold: ColdInit[] = [];
    const floorRuns: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      cold.push(await coldInit(bundlePath, model.path));
      floorRuns.push(await onnxruntimeFloorMs(tinyPath));
      if (reference && i < SKLEARN_COLD_LOADS) theirs.colds.push(await reference.coldLoad());
    }
    const floorMs = median(floorRuns);

    const pinning = await pinToOneCpu(reference ? [reference.pid] : []);
    process.env.MODEL_PATH = model.path;
    const { handler } = (await import(bundlePath)) as { handler: LambdaHandler };
    const singles = docs.slice(0, 500).map((text) => httpEvent({ text }));
    await timeCalls(handler, singles.slice(0, 100), 1);
    const warm: number[] = [];
    const warmCpuMs: number[] = [];
    for (let pass = 0; pass < SINGLE_ROUNDS; pass += 1) {
      for (const range of slices(singles.length, SINGLE_SLICE)) {
        await timeCalls(handler, singles.slice(range[0], range[0] + SLICE_WARM_UP), 1);
        warm.push(...(await timeCalls(handler, singles.slice(...range), 1, warmCpuMs)));
        if (reference) theirs.singles.push(await reference.singlePass(range));
      }
    }
    const batchTexts = slices(docs.length, BATCH_SIZE).map((range) => docs.slice(...range));
    const batches = batchTexts.map((texts) => httpEvent({ texts }));
    // One whole pass first, on both sides: the largest batches size the buffers that later passes reuse.
    await timeCalls(handler, batches, 1);
    await reference?.batchPass();
    const batchMs: number[] = [];
    const batchCpuMs: number[] = [];
    /** Each round's docs/s ratio (ours ÷ scikit-learn's): how much the comparison moves within the run. */
    const batchRoundRatios: number[] = [];
    /** Each slice's ratio: the same documents, a fraction of a second apart. */
    const batchSliceRatios: number[] = [];
    for (let pass = 0; pass < BATCH_ROUNDS; pass += 1) {
      const roundMs: number[] = [];
      const theirRound: BatchPass[] = [];
      for (const range of slices(batches.length, BATCH_SLICE)) {
        await timeCalls(handler, batches.slice(range[0], range[0] + 1), 1);
        const sliceMs = await timeCalls(handler, batches.slice(...range), 1, batchCpuMs);
        roundMs.push(...sliceMs);
        if (!reference) continue;
        const their = await reference.batchPass(range);
        theirRound.push(their);
        batchSliceRatios.push(their.seconds / (sum(sliceMs) / 1000));
      }
      batchMs.push(...roundMs);
      if (!reference) continue;
      theirs.batches.push(...theirRound);
      const theirSeconds = sum(theirRound.map((slice) => slice.seconds));
      batchRoundRatios.push(round(theirSeconds / (sum(roundMs) / 1000), 3));
    }
    const frontEndMs = await frontEndBatchMs(
      readFileSync(model.path),
      batchTexts,
      2,
      resolve(WORK_DIR, "front-end.onnx"),
    );
    const containerStartMs = options.image === undefined ? [] : await containerStartTimes(options.image);

    let container: Record<string, number | string> = {
      note: "pass --image <ref> (an image:build result) for container numbers",
    };
    if (options.image !== undefined) {
      const sha = readFileSync(resolve(WORK_DIR, "model.sha256"), "utf8").split(/\s+/)[0] ?? "";
      const imageSha = (
        await run(
          "docker",
          ["image", "inspect", "--format", '{{index .Config.Labels "textcat.model.sha256"}}', options.image],
          { quiet: true },
        )
      ).trim();
      const firstAnswers: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        const smoke = await smokeThroughRuntimeApi(options.image, imageSha);
        if (smoke.problems.length > 0) throw new Error(smoke.problems.join("; "));
        firstAnswers.push(smoke.firstAnswerMs);
      }
      const baseImage = options["base-image"] ?? (await ensureStandinBase());
      container = {
        firstAnswerMsMedian: round(median(firstAnswers), 0),
        emptyContainerRunMsMedian: round(median(containerStartMs), 0),
        firstAnswerMsRuns: firstAnswers.map((v) => round(v, 0)).join(", "),
        ...(await imageSizes(options.image, baseImage)),
        baseImage,
        sameModelAsBench: String(sha === imageSha),
      };
    }

    const sklearnResult = reference ? summarizeSklearn(reference.identity, theirs) : undefined;
    const ourCpuSeconds = (({ user, system }) => (user + system) / 1e6)(process.cpuUsage(cpuAtStart));
    const results = {
      model: model.kind,
      cpu: pinning,
      loadAverage: {
        start: loadAtStart,
        end: loadavg().map((v) => round(v, 2)),
      },
      benchProcessCpuSeconds: round(ourCpuSeconds, 1),
      coldInitMs: {
        median: round(median(cold.map((c) => c.importMs)), 1),
        cpuMedian: round(median(cold.map((c) => c.importCpuMs)), 1),
        runs: cold.map((c) => round(c.importMs, 1)),
        sinceProcessStartMedian: round(median(cold.map((c) => c.sinceProcessStartMs)), 1),
        onnxruntimeFloorMedian: round(floorMs, 1),
      },
      warmSingleMs: {
        p50: round(percentile(warm, 50)),
        cpuP50: round(percentile(warmCpuMs, 50)),
        p90: round(percentile(warm, 90)),
        p99: round(percentile(warm, 99)),
        requests: warm.length,
      },
      batch100: {
        medianMs: round(median(batchMs), 2),
        // Throughput over the whole test split, as scikit-learn's figure (posts differ in length a lot).
        docsPerSecond: Math.round((docs.length * BATCH_ROUNDS) / (sum(batchMs) / 1000)),
        docsPerCpuSecond: Math.round((docs.length * BATCH_ROUNDS) / (sum(batchCpuMs) / 1000)),
        ratioByRound: batchRoundRatios,
        ratioBySlice: {
          p25: round(percentile(batchSliceRatios, 25)),
          median: round(median(batchSliceRatios)),
          p75: round(percentile(batchSliceRatios, 75)),
          slices: batchSliceRatios.length,
        },
        frontEndOnlyMedianMs: round(frontEndMs, 2),
      },
      container,
      sklearn: sklearnResult ?? { notRun: notRunReason },
      goals: GOALS,
    };
    const ratio = (ours: number, of: (r: SklearnServing) => number) =>
      sklearnResult ? `${round(ours / of(sklearnResult), 3)}×` : "n/a";
    const their = (show: (r: SklearnServing) => string) => (sklearnResult ? show(sklearnResult) : "not run");
    const coldOverFloor = results.coldInitMs.median - results.coldInitMs.onnxruntimeFloorMedian;
    const rows: Array<[string, string, string, string, string]> = [
      [
        "cold init (import + verify + session)",
        `${results.coldInitMs.median} ms (CPU ${results.coldInitMs.cpuMedian})`,
        their((r) => `${r.coldLoadMs} ms (CPU ${r.coldLoadCpuMs})`),
        ratio(results.coldInitMs.median, (r) => r.coldLoadMs),
        `≤ ${GOALS.coldInitRatio}×`,
      ],
      [
        "  … over onnxruntime alone (6 KB model)",
        `+${round(coldOverFloor, 1)} ms (floor ${results.coldInitMs.onnxruntimeFloorMedian})`,
        "",
        "",
        `≤ +${GOALS.coldInitOverFloorMs} ms`,
      ],
      ["  … from process start (wall)", `${results.coldInitMs.sinceProcessStartMedian} ms`, "", "", ""],
      [
        "warm single request p50",
        `${results.warmSingleMs.p50} ms (CPU ${results.warmSingleMs.cpuP50})`,
        their((r) => `${r.singleP50Ms} ms (CPU ${r.singleCpuP50Ms})`),
        ratio(results.warmSingleMs.p50, (r) => r.singleP50Ms),
        `≤ ${GOALS.warmP50Ratio}×`,
      ],
      ["warm single request p99", `${results.warmSingleMs.p99} ms`, "", "", "reported"],
      [
        "test split in batches of 100",
        `${results.batch100.docsPerSecond} docs/s`,
        their((r) => `${r.batchDocsPerSecond} docs/s`),
        ratio(results.batch100.docsPerSecond, (r) => r.batchDocsPerSecond),
        `≥ ${GOALS.batchRatio}×`,
      ],
      [
        "  … per CPU second",
        `${results.batch100.docsPerCpuSecond} docs/s`,
        their((r) => `${r.batchDocsPerCpuSecond} docs/s`),
        ratio(results.batch100.docsPerCpuSecond, (r) => r.batchDocsPerCpuSecond),
        "",
      ],
      [
        "  … ratio in each round",
        "",
        "",
        batchRoundRatios.length > 0 ? batchRoundRatios.join(", ") : "n/a",
        "",
      ],
      [
        "  … ratio by slice: median (p25-p75)",
        "",
        "",
        batchSliceRatios.length > 0
          ? `${results.batch100.ratioBySlice.median} (${results.batch100.ratioBySlice.p25}-${results.batch100.ratioBySlice.p75})`
          : "n/a",
        "",
      ],
      ["  … median batch, wall", `${results.batch100.medianMs} ms`, "", "", ""],
      [
        "  … of it the string front end alone",
        `${results.batch100.frontEndOnlyMedianMs} ms`,
        "",
        "",
        "lower-case + Tokenizer + token lookup",
      ],
      [
        "first answer, fresh container",
        "firstAnswerMsMedian" in container ? `${container.firstAnswerMsMedian} ms` : "n/a",
        "",
        "",
        `≤ ${GOALS.firstAnswerMs} ms`,
      ],
      [
        "  … of which an empty docker run",
        "emptyContainerRunMsMedian" in container ? `${container.emptyContainerRunMsMedian} ms` : "n/a",
        "",
        "",
        "",
      ],
      [
        "image size / base size",
        "imageMb" in container ? `${container.imageMb} / ${container.baseMb} MB` : "n/a",
        "",
        "",
        `≤ base + ${GOALS.imageOverBaseMb} MB`,
      ],
    ];
    const header: [string, string, string, string, string] = [
      "measure",
      "textcat",
      "scikit-learn (this run)",
      "ratio",
      "goal",
    ];
    const table = [header, ...rows]
      .map(
        ([measure, ours, theirs, times, goal]) =>
          `${measure.padEnd(40)} ${ours.padEnd(28)} ${theirs.padEnd(26)} ${times.padEnd(8)} ${goal}`,
      )
      .join("\n");
    const { start, end } = results.loadAverage;
    const sklearnLine = sklearnResult
      ? `scikit-learn ${sklearnResult.sklearnVersion} on the same ${sklearnResult.documents} documents, ` +
        "same run, alternating with ours slice by slice"
      : `scikit-learn reference NOT run: ${notRunReason} (no stored number is used)`;
    console.log(
      `model: ${model.kind}\n${sklearnLine}\n${pinning}\n` +
        `load average (1/5/15 min): start ${start.join(" ")}, end ${end.join(" ")}\n` +
        `CPU time of this bench process: ${results.benchProcessCpuSeconds} s\n\n${table}\n`,
    );
    console.log(JSON.stringify(results, null, 2));
  } finally {
    await reference?.close();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:service: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = error instanceof UsageError ? EXIT_USAGE : 1;
});
