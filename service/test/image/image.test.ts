/**
 * Builds the Lambda image (stand-in base, tiny model), then runs image:test against it: the handler
 * suite inside the image, the Runtime API smoke and first answer, the tamper check and the emulator.
 * Needs Docker (scripts/ensure-services.sh starts it); without Docker it is skipped outside CI.
 */
import { resolve } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { exec, run, succeeds } from "@textcat/kit/process";
import { buildImage } from "../../scripts/image-build.js";
import { testImage } from "../../scripts/image-test.js";
import { writeTinyModel } from "../support/tiny-model.js";

const REPO_ROOT = resolve(import.meta.dirname, "../../..");
const TAG = `textcat-service:test-${process.pid}`;

async function dockerAvailable(): Promise<boolean> {
  await succeeds(resolve(REPO_ROOT, "scripts/ensure-services.sh"), []);
  return succeeds("docker", ["info"]);
}

const hasDocker = await dockerAvailable();
if (!hasDocker && process.env.CI) throw new Error("image tests need Docker: run scripts/ensure-services.sh");

let imageId = "";
let modelSha256 = "";

beforeAll(async () => {
  if (!hasDocker) return;
  const model = await writeTinyModel();
  modelSha256 = model.sha256;
  imageId = await buildImage({ tag: TAG, modelPath: model.modelPath });
}, 900_000);

afterAll(async () => {
  if (hasDocker) await succeeds("docker", ["image", "rm", "-f", TAG]);
});

test.skipIf(!hasDocker)(
  "image:build prints the id of a linux/amd64 image that holds the model it was given",
  async () => {
    expect(imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    const label = await run(
      "docker",
      ["image", "inspect", "--format", '{{index .Config.Labels "textcat.model.sha256"}}', TAG],
      { quiet: true },
    );
    expect(label.trim()).toBe(modelSha256);
  },
);

test.skipIf(!hasDocker)(
  "image:test passes: suite inside the image, Runtime API smoke, tamper check, emulator",
  async () => {
    const report = await testImage(TAG);
    process.stderr.write(
      `image test: first answer ${report.firstAnswerMs.toFixed(0)} ms, image ${(report.facts.sizeBytes / 1e6).toFixed(1)} MB\n`,
    );
    expect(report.problems).toEqual([]);
    expect(report.suitePassed).toBe(true);
    expect(report.facts.recordedModelSha256).toBe(modelSha256);
    expect(report.tamperedInitError).toBe("ModelLoadError");
    expect(report.emulatorAnswered).toBe(true);
  },
  900_000,
);

test.skipIf(!hasDocker)("image:test exits non-zero for an image that does not exist", async () => {
  const child = await exec(
    process.execPath,
    ["--import", "tsx", "service/scripts/image-test.ts", "--image", "textcat-service:does-not-exist"],
    { cwd: REPO_ROOT, quiet: true },
  );
  expect(child.code).not.toBe(0);
  expect(child.stderr).toContain("image:test:");
});

test.skipIf(!hasDocker)("image:build refuses a missing model with a one-line message", async () => {
  const child = await exec(
    process.execPath,
    [
      "--import",
      "tsx",
      "service/scripts/image-build.ts",
      "--tag",
      "x:y",
      "--model",
      "/nonexistent/model.onnx",
    ],
    { cwd: REPO_ROOT, quiet: true },
  );
  // Bad input the user can fix: one line and exit 2, as every command line here.
  expect(child.code).toBe(2);
  expect(child.stderr.trim()).toMatch(/^image:build: no model at \/nonexistent\/model\.onnx/);
});
