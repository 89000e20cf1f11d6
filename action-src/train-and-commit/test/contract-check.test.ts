import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { parseGoldenExamples } from "@textcat/contract";
import { buildTinyModel, buildTinyModelWithRenamedOutput } from "@textcat/model/testing/tiny-model";
import { checkArtifacts } from "../src/contract-check.js";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function artifactsWith(model: Uint8Array | undefined): string {
  dir = mkdtempSync(join(tmpdir(), "contract-"));
  if (model) writeFileSync(join(dir, "model.onnx"), model);
  return dir;
}

describe("checkArtifacts", () => {
  test("the committed model answers the shipped golden examples", async () => {
    const golden = parseGoldenExamples(readFileSync("model/golden.json", "utf8"), "model/golden.json");
    const report = await checkArtifacts("model/artifacts", golden);
    expect(report.goldenChecked).toBe(golden.length);
    expect(report.labels).toHaveLength(20);
  });

  test("a contract-true model with right answers passes, and reports its size and hash", async () => {
    const model = buildTinyModel();
    const report = await checkArtifacts(artifactsWith(model), [
      { text: "a rocket to orbit", label: "space" },
    ]);
    expect(report).toMatchObject({
      labels: ["cooking", "space", "sports"],
      modelBytes: model.length,
      goldenChecked: 1,
    });
    expect(report.modelSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test("without golden examples the contract's types and shapes are still checked", async () => {
    await expect(checkArtifacts(artifactsWith(buildTinyModel()), [])).resolves.toMatchObject({
      goldenChecked: 0,
    });
  });

  test.each([
    ["no model file", undefined, "the training command wrote no"],
    ["bytes that are not ONNX", Buffer.from("not a model at all"), "model.onnx: "],
    [
      "ONNX without the contract's metadata",
      Buffer.from([0x08, 0x08]),
      'model metadata is missing "textcat.labels"',
    ],
    [
      "a model whose session lacks a contract output",
      Buffer.from(buildTinyModelWithRenamedOutput("probabilities", "class_scores")),
      'model.onnx: the model does not follow the ONNX contract: missing output "probabilities" ' +
        "(inputs: [text]; outputs: [label, class_scores]; the contract wants input [text], outputs [label, probabilities])",
    ],
  ])("%s → one clear error", async (_case, bytes, message) => {
    await expect(checkArtifacts(artifactsWith(bytes), [])).rejects.toThrow(message);
  });
});
