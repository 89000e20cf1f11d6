import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exec } from "@textcat/kit/process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARTIFACT_FILES, readModelMetadata } from "@textcat/contract";
import { main } from "../../src/cli/train-main.js";
import { trainModel } from "../../src/cli/train-model.js";
import { loadOnnxModel, predictWithOnnx } from "../../src/onnx/run.js";

const CLI = new URL("../../src/cli/train.ts", import.meta.url).pathname;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function runCli(args: string[]): Promise<CliResult> {
  return exec(process.execPath, ["--import", "tsx", CLI, ...args], { quiet: true });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "train-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the command in this process: same code path as the CLI, without a process start per case. */
async function runMain(args: string[]): Promise<CliResult> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(args, {
    stdout: { write: (text: string) => stdout.push(text) },
    stderr: { isTTY: false, write: (text: string) => stderr.push(text) },
  });
  return { code, stdout: stdout.join(""), stderr: stderr.join("") };
}

describe("train command errors", () => {
  it.each([
    [
      "an unknown config",
      ["--data", "fixture", "--config", "huge", "--out", "OUT"],
      /^error: unknown config "huge"/,
    ],
    ["a missing --out", ["--data", "fixture"], /^error: --out <dir> is required/],
    ["an unknown option", ["--data", "fixture", "--out", "OUT", "--fast"], /^error: Unknown option '--fast'/],
    [
      "a data path that does not exist",
      ["--data", "/no/such/corpus.tar.gz", "--out", "OUT"],
      /^error: .*does not exist/,
    ],
    ["a data file of unknown format", ["--data", CLI, "--out", "OUT"], /^error: .*unknown data format/],
    [
      "an --out that is a file",
      ["--data", "fixture", "--out", CLI],
      /^error: --out .*not a writable directory/,
    ],
  ])("exits 2 with one line for %s", async (_, args, message) => {
    const result = await runMain(args.map((a) => (a === "OUT" ? join(dir, "unused") : a)));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it("sets the process exit code 2 and prints no stack trace", async () => {
    const result = await runCli(["--data", "/no/such/folder", "--out", join(dir, "unused")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("error: /no/such/folder: does not exist\n");
  });
});

describe("train CLI on the fixture corpus", () => {
  let result: CliResult;
  let out: string;
  beforeAll(async () => {
    out = join(dir, "fixture-model");
    result = await runCli(["--data", "fixture", "--config", "default", "--out", out]);
  });

  it("prints the data summary, then a one-line result; no progress when stderr is not a terminal", () => {
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("data: 120 training and 40 test documents, 4 labels");
    expect(result.stdout).toContain("data: test documents also in train: 0 exact, 0 near-duplicates");
    expect(lines.at(-1)).toMatch(/^default: accuracy \d\.\d{4}, .*ONNX parity 40\/40 labels/);
  });

  it("writes data-summary.json for the data it trained on", async () => {
    const summary = JSON.parse(await readFile(join(out, ARTIFACT_FILES.dataSummary), "utf8"));
    const metrics = JSON.parse(await readFile(join(out, ARTIFACT_FILES.metrics), "utf8"));
    expect(summary.data_sha256).toBe(metrics.data_sha256);
    expect([summary.train_docs, summary.test_docs]).toEqual([metrics.train_docs, metrics.test_docs]);
    expect(Object.keys(summary.labels)).toEqual(metrics.labels);
  });

  it("writes metrics.json with the promised keys, consistent with the model file", async () => {
    const metrics = JSON.parse(await readFile(join(out, ARTIFACT_FILES.metrics), "utf8"));
    for (const key of [
      "accuracy",
      "macro_f1",
      "train_docs",
      "test_docs",
      "features",
      "labels",
      "config",
      "model_sha256",
    ]) {
      expect(metrics).toHaveProperty(key);
    }
    for (const key of [
      "per_class",
      "confusion_matrix",
      "C",
      "data_sha256",
      "timings",
      "trainer_version",
      "parity",
    ]) {
      expect(metrics).toHaveProperty(key);
    }
    expect(metrics.baseline.accuracy).toBeLessThan(metrics.accuracy);
    expect(metrics.config).toBe("default");
    const model = await readFile(join(out, ARTIFACT_FILES.model));
    expect(metrics.model_sha256).toBe(createHash("sha256").update(model).digest("hex"));
    expect(metrics.confusion_matrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(
      metrics.test_docs,
    );
  });

  it("writes a model that onnxruntime loads, with the labels and metrics in its metadata", async () => {
    const model = await readFile(join(out, ARTIFACT_FILES.model));
    const metrics = JSON.parse(await readFile(join(out, ARTIFACT_FILES.metrics), "utf8"));
    const metadata = readModelMetadata(model);
    expect(metadata.labels).toEqual(metrics.labels);
    expect(metadata.configName).toBe("default");
    expect(metadata.metrics).toMatchObject({
      accuracy: metrics.accuracy,
      baseline_accuracy: metrics.baseline.accuracy,
    });
    const session = await loadOnnxModel(model);
    const { labels } = await predictWithOnnx(session, ["a recipe to bake bread in the oven", ""]);
    expect(labels.every((label) => metrics.labels.includes(label))).toBe(true);
  });

  it("writes report.md linking the confusion-matrix SVG", async () => {
    const report = await readFile(join(out, ARTIFACT_FILES.report), "utf8");
    expect(report).toContain(`](${ARTIFACT_FILES.confusionMatrix})`);
    const svg = await readFile(join(out, ARTIFACT_FILES.confusionMatrix), "utf8");
    expect(svg.startsWith("<svg")).toBe(true);
  });

  it("gives a byte-identical model.onnx when trained again on the same data", async () => {
    const again = join(dir, "fixture-again");
    const metrics = await trainModel(
      { data: "fixture", config: "default", out: again, test: undefined, checkDataOnly: false, quiet: true },
      () => {},
    );
    const first = await readFile(join(out, ARTIFACT_FILES.model));
    expect(createHash("sha256").update(first).digest("hex")).toBe(metrics.model_sha256);
  });
});

describe("train CLI with a separate test file", () => {
  it("trains on one JSONL file and evaluates on another", async () => {
    const rows = (label: string, words: string[]) =>
      words.map((w) => JSON.stringify({ text: `${w} ${label} words`, label }));
    const train = [
      ...rows("alpha", ["one", "two", "three", "four"]),
      ...rows("beta", ["five", "six", "seven", "eight"]),
    ];
    await writeFile(join(dir, "train.jsonl"), train.join("\n") + "\n");
    await writeFile(
      join(dir, "test.jsonl"),
      [...rows("alpha", ["nine"]), ...rows("beta", ["ten"])].join("\n") + "\n",
    );
    const out = join(dir, "jsonl-model");
    const result = await runCli([
      "--data",
      join(dir, "train.jsonl"),
      "--test",
      join(dir, "test.jsonl"),
      "--out",
      out,
      "--quiet",
    ]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const metrics = JSON.parse(await readFile(join(out, ARTIFACT_FILES.metrics), "utf8"));
    expect(metrics.train_docs).toBe(8);
    expect(metrics.test_docs).toBe(2);
  });
});

describe("the data check before training", () => {
  const jsonl = (rows: Array<[string, string]>) =>
    rows.map(([text, label]) => JSON.stringify({ text, label })).join("\n") + "\n";
  const docs = (label: string, words: string[]) =>
    words.map((w): [string, string] => [`${w} ${label} words for a document`, label]);

  it("stops with one error line and exit 2 before training when test documents leak from train", async () => {
    const train = [...docs("alpha", ["one", "two", "three"]), ...docs("beta", ["four", "five", "six"])];
    await writeFile(join(dir, "leaky-train.jsonl"), jsonl(train));
    await writeFile(join(dir, "leaky-test.jsonl"), jsonl([train[0]!, ...docs("beta", ["seven"])]));
    const out = join(dir, "leaky-model");
    const result = await runMain([
      "--data",
      join(dir, "leaky-train.jsonl"),
      "--test",
      join(dir, "leaky-test.jsonl"),
      "--out",
      out,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "error: data check failed (config default): 1 test documents (50.00%) are also training documents " +
        "(limit 0.00%); 1 test documents (50.00%) are near-duplicates of training documents (limit 0.25%)\n",
    );
    expect(result.stdout).toContain("data: test documents also in train: 1 exact, 1 near-duplicates");
    await expect(readFile(join(out, ARTIFACT_FILES.model))).rejects.toThrow(/ENOENT/);
    await expect(readFile(join(out, ARTIFACT_FILES.dataSummary))).rejects.toThrow(/ENOENT/);
  });

  it("--check-data-only checks and writes data-summary.json without training", async () => {
    const out = join(dir, "check-only");
    const result = await runMain(["--data", "fixture", "--out", out, "--check-data-only"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().split("\n").at(-1)).toBe(`default: data check passed; wrote ${out}`);
    const summary = JSON.parse(await readFile(join(out, ARTIFACT_FILES.dataSummary), "utf8"));
    expect([summary.train_docs, summary.test_docs, summary.shared_exact]).toEqual([120, 40, 0]);
    await expect(readFile(join(out, ARTIFACT_FILES.model))).rejects.toThrow(/ENOENT/);
  });
});
