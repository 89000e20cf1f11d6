import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { ConfigError, readConfig, recordedShaPath } from "../../src/config.js";
import { verifySha256 } from "../../src/model.js";

const SHA = "a".repeat(64);

test("defaults: model next to the bundle in LAMBDA_TASK_ROOT, its recorded digest, default limits", () => {
  const dir = mkdtempSync(join(tmpdir(), "textcat-config-"));
  writeFileSync(join(dir, "model.sha256"), `${SHA}  model.onnx\n`);
  const config = readConfig({ LAMBDA_TASK_ROOT: dir });
  expect(config.model).toEqual({ path: join(dir, "model.onnx"), expectedSha256: SHA, intraOpThreads: 1 });
  expect(config.limits).toEqual({
    maxBodyBytes: 1_048_576,
    maxBatchSize: 100,
    maxTextChars: 500_000,
    defaultTopK: 3,
  });
  expect(config.cors.allowedOrigins).toEqual([]);
  expect(config.logRequestText).toBe(false);
});

test("MODEL_SHA256 wins over the recorded file", () => {
  expect(readConfig({ MODEL_PATH: "/nowhere/m.onnx", MODEL_SHA256: SHA }).model.expectedSha256).toBe(SHA);
});

test("no recorded digest is an error unless ALLOW_UNVERIFIED_MODEL", () => {
  expect(() => readConfig({ MODEL_PATH: "/nowhere/m.onnx" })).toThrow(ConfigError);
  expect(
    readConfig({ MODEL_PATH: "/nowhere/m.onnx", ALLOW_UNVERIFIED_MODEL: "true" }).model.expectedSha256,
  ).toBeUndefined();
});

test.each(["0", "-5", "1.5", "lots"])("MAX_BATCH_SIZE=%j is refused at start", (value) => {
  expect(() => readConfig({ MODEL_SHA256: SHA, MAX_BATCH_SIZE: value })).toThrow(
    /MAX_BATCH_SIZE must be a positive integer/,
  );
});

test("recordedShaPath", () => {
  expect(recordedShaPath("/var/task/model.onnx")).toBe("/var/task/model.sha256");
});

test.each([SHA.toUpperCase(), `  ${SHA}\n`])("verifySha256(actual, %j) passes", (expected) => {
  expect(() => verifySha256(SHA, expected, "/m.onnx")).not.toThrow();
});

test.each(["b".repeat(64), "not-hex"])("verifySha256(actual, %j) throws", (expected) => {
  expect(() => verifySha256(SHA, expected, "/m.onnx")).toThrow();
});
