// node:child_process, not @textcat/kit/process: this suite also runs inside the Lambda image, where only
// the tests and node_modules are mounted (service/scripts/image-test.ts) and the kit's sources are not.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { expect, test } from "vitest";
import {
  IN_IMAGE,
  createTestService,
  modelFiles,
  scratchDir,
  writeScratch,
} from "../support/service-under-test.js";

const WRONG_SHA = "0".repeat(64);

function servedFile(modelPath: string): string {
  const ortPath = modelPath.replace(/\.onnx$/, ".ort");
  return existsSync(ortPath) ? ortPath : modelPath;
}

/**
 * A scratch copy of the model files with the served file's bytes changed: the ORT-format model.ort
 * when one lies next to model.onnx (as in the image), else model.onnx. Returns the MODEL_PATH to use.
 */
async function tamperedCopy(change: (bytes: Buffer) => Uint8Array): Promise<string> {
  const { modelPath } = await modelFiles();
  const dir = scratchDir();
  const ortPath = modelPath.replace(/\.onnx$/, ".ort");
  const served = servedFile(modelPath);
  const records = [modelPath.replace(/\.onnx$/, ".sha256"), `${ortPath}.sha256`].filter(existsSync);
  for (const record of records) writeScratch(dir, basename(record), readFileSync(record));
  writeScratch(dir, basename(served), change(readFileSync(served)));
  return join(dir, basename(modelPath));
}

test("a recorded SHA-256 that does not match the model stops the start", async () => {
  await expect(createTestService({ MODEL_SHA256: WRONG_SHA })).rejects.toThrow(
    /integrity check failed.*refusing to serve/,
  );
});

test("a model changed after its digest was recorded stops the start", async () => {
  const tamperedPath = await tamperedCopy((original) => Buffer.concat([original, Buffer.from([0x0a, 0x00])]));
  await expect(createTestService({ MODEL_PATH: tamperedPath })).rejects.toThrow(
    /has SHA-256 [0-9a-f]{64} but the build recorded/,
  );
});

test("without a recorded SHA-256 the start fails unless a local run allows it", async () => {
  const { modelPath } = await modelFiles();
  const dir = scratchDir();
  // The served file, ORT format or not, under the ONNX model's name and without any record.
  const copy = writeScratch(dir, "model.onnx", readFileSync(servedFile(modelPath)));
  await expect(createTestService({ MODEL_PATH: copy, MODEL_SHA256: "" })).rejects.toThrow(
    /no recorded SHA-256/,
  );
  const service = await createTestService({
    MODEL_PATH: copy,
    MODEL_SHA256: "",
    ALLOW_UNVERIFIED_MODEL: "true",
  });
  expect(service.model.identity.sha256).toMatch(/^[0-9a-f]{64}$/);
});

test("a file that is not an ONNX model stops the start with a clear message", async () => {
  const dir = scratchDir();
  const path = writeScratch(dir, "model.onnx", "this is not a model");
  await expect(createTestService({ MODEL_PATH: path, ALLOW_UNVERIFIED_MODEL: "true" })).rejects.toThrow(
    /model/,
  );
});

test("the entry module itself refuses to load a tampered model (the Lambda init fails)", async () => {
  const { modelPath } = await modelFiles();
  const entry = IN_IMAGE
    ? ["--input-type=module", "-e", `await import(${JSON.stringify(process.env.SERVICE_ENTRY)})`]
    : ["--import", "tsx", "service/src/app.ts"];
  const child = spawnSync(process.execPath, entry, {
    env: { ...process.env, MODEL_PATH: modelPath, MODEL_SHA256: WRONG_SHA },
    encoding: "utf8",
    timeout: 30_000,
  });
  expect(child.status).not.toBe(0);
  expect(child.stderr).toContain("model integrity check failed");
});

test("a tampered file onnxruntime cannot even parse is refused as tampered, not as unreadable", async () => {
  // The digest is checked before onnxruntime sees the bytes, so the verdict names the tampering.
  const truncated = await tamperedCopy((original) => original.subarray(0, original.length >> 1));
  await expect(createTestService({ MODEL_PATH: truncated })).rejects.toThrow(
    /integrity check failed: .* has SHA-256 [0-9a-f]{64} but the build recorded/,
  );
});
