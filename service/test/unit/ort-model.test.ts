/**
 * The image serves the model converted to ORT format (service/build/convert-to-ort.mjs): the same
 * answers bit for bit, the ONNX model's identity, and every file checked against the build's record.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { beforeAll, expect, test } from "vitest";
import {
  ModelContractError,
  readModelMetadata,
  readOrtMetadataProps,
  readServedModelMetadata,
} from "@textcat/contract";
import { convertToOrt } from "../../build/convert-to-ort.mjs";
import { readConfig } from "../../src/config.js";
import { createService } from "../../src/service.js";
import "../support/stdout.js";
import { writeTinyModel, type ModelFiles } from "../support/tiny-model.js";

const TEXTS = ["the rocket reached orbit", "a recipe for bread", "", "ÄÖÜ straße 日本語 GPU gpu"];

let onnxOnly: ModelFiles;
let converted: ModelFiles & { ortPath: string; ortSha256: string };

beforeAll(async () => {
  onnxOnly = await writeTinyModel();
  const files = await writeTinyModel();
  converted = { ...files, ...(await convertToOrt(files.modelPath)) };
}, 120_000);

const serve = (modelPath: string, env: Record<string, string> = {}) =>
  createService({ MODEL_PATH: modelPath, ...env });

/** A fresh copy of the converted model's folder, so each test can change its own files. */
async function convertedCopy(): Promise<ModelFiles & { ortPath: string }> {
  const files = await writeTinyModel();
  const ortPath = files.modelPath.replace(/\.onnx$/, ".ort");
  writeFileSync(ortPath, readFileSync(converted.ortPath));
  writeFileSync(`${ortPath}.sha256`, readFileSync(`${converted.ortPath}.sha256`));
  return { ...files, ortPath };
}

test("the .ort next to model.onnx is what is served, with the ONNX model's identity and answers", async () => {
  expect(readConfig({ MODEL_PATH: converted.modelPath }).model.path).toBe(converted.ortPath);
  const [fromOrt, fromOnnx] = await Promise.all([serve(converted.modelPath), serve(onnxOnly.modelPath)]);
  expect(fromOrt.model.identity).toEqual(fromOnnx.model.identity);
  expect(fromOrt.model.identity.sha256).toBe(converted.sha256);
  const [a, b] = await Promise.all([fromOrt.model.classify(TEXTS), fromOnnx.model.classify(TEXTS)]);
  expect(a.map((c) => c.label)).toEqual(b.map((c) => c.label));
  expect(a.map((c) => [...new Uint32Array(c.probabilities.slice().buffer)])).toEqual(
    b.map((c) => [...new Uint32Array(c.probabilities.slice().buffer)]),
  );
});

test("the image's layout: model.onnx absent, its recorded digest and the .ort's record present", async () => {
  const files = await convertedCopy();
  rmSync(files.modelPath);
  const service = await serve(files.modelPath);
  expect(service.model.identity.sha256).toBe(files.sha256);
});

test("ORT-format metadata reads the same as the ONNX model's", () => {
  expect(readServedModelMetadata(readFileSync(converted.ortPath))).toEqual(
    readModelMetadata(readFileSync(converted.modelPath)),
  );
});

test("bytes that only claim to be ORT format are a contract error, not a crash", () => {
  const fake = Buffer.concat([Buffer.from([0xff, 0xff, 0xff, 0x7f]), Buffer.from("ORTM"), Buffer.alloc(8)]);
  expect(() => readOrtMetadataProps(fake)).toThrow(ModelContractError);
  expect(() => readOrtMetadataProps(readFileSync(converted.modelPath))).toThrow(/not an ORT-format model/);
});

test("a changed .ort is refused before onnxruntime sees it", async () => {
  const files = await convertedCopy();
  const bytes = readFileSync(files.ortPath);
  const middle = bytes.length >> 1;
  bytes[middle] = (bytes[middle] ?? 0) ^ 0x01;
  writeFileSync(files.ortPath, bytes);
  await expect(serve(files.modelPath)).rejects.toThrow(
    /integrity check failed: .*\.ort has SHA-256 [0-9a-f]{64} but the build recorded/,
  );
});

test("a .ort converted from another model than the recorded one is refused", async () => {
  const files = await convertedCopy();
  await expect(serve(files.modelPath, { MODEL_SHA256: "e".repeat(64) })).rejects.toThrow(
    /integrity check failed: .*\.ort was converted from a model with SHA-256 [0-9a-f]{64} but the build recorded e{64}/,
  );
});

test("a .ort without its record, or with an incomplete one, is refused at start", async () => {
  const files = await convertedCopy();
  rmSync(`${files.ortPath}.sha256`);
  await expect(serve(files.modelPath)).rejects.toThrow(/model\.ort has no complete recorded SHA-256/);
  writeFileSync(`${files.ortPath}.sha256`, `${converted.ortSha256}  model.ort\n`);
  await expect(serve(files.modelPath)).rejects.toThrow(/model\.ort has no complete recorded SHA-256/);
});
