/** Writes the 3-label test model, or `bytes`, (and its recorded SHA-256) into a fresh temporary folder. */
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface ModelFiles {
  dir: string;
  modelPath: string;
  sha256: string;
}

export async function writeTinyModel(model?: Uint8Array): Promise<ModelFiles> {
  const { buildTinyModel } = await import("@textcat/model/testing/tiny-model");
  const bytes = model ?? buildTinyModel();
  const dir = mkdtempSync(join(tmpdir(), "textcat-model-"));
  const modelPath = join(dir, "model.onnx");
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  writeFileSync(modelPath, bytes);
  writeFileSync(join(dir, "model.sha256"), `${sha256}  model.onnx\n`);
  return { dir, modelPath, sha256 };
}
