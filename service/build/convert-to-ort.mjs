// Converts the verified model.onnx into onnxruntime's ORT format next to it (model.ort) and records
// both digests in model.ort.sha256, in `sha256sum` format: the .ort's own, which the handler checks at
// every cold start, and the ONNX model's it was converted from, which it reports as the model's identity.
// onnxruntime loads an ORT-format model in place from its bytes instead of parsing and copying an ONNX
// graph, which is most of a session's creation time here.
// The conversion runs with the onnxruntime-node of package-lock.json, the one that later loads it: an
// ORT file is read by the onnxruntime version that wrote it or a newer one
// (https://onnxruntime.ai/docs/reference/ort-format-models.html#backwards-compatibility).
// Usage: node service/build/convert-to-ort.mjs <model.onnx>
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";

/** ORT_ENABLE_EXTENDED at most: a higher level may write optimizations specific to the build machine's CPU. */
const SAVED_OPTIMIZATION_LEVEL = "extended";

const sha256 = (path) => createHash("sha256").update(readFileSync(path)).digest("hex");

export async function convertToOrt(onnxPath) {
  if (!onnxPath.endsWith(".onnx")) throw new Error(`convert-to-ort: ${onnxPath} is not a .onnx file`);
  const ort = await import("onnxruntime-node");
  // The name service/src/config.ts looks for next to model.onnx (its ortPathFor).
  const ortPath = onnxPath.replace(/\.onnx$/, ".ort");
  const session = await ort.InferenceSession.create(onnxPath, {
    graphOptimizationLevel: SAVED_OPTIMIZATION_LEVEL,
    optimizedModelFilePath: ortPath,
    // "session.save_model_format": "ORT" (include/onnxruntime/core/session/onnxruntime_session_options_config_keys.h)
    extra: { session: { save_model_format: "ORT" } },
  });
  await session.release();
  const ortSha256 = sha256(ortPath);
  const onnxSha256 = sha256(onnxPath);
  writeFileSync(
    `${ortPath}.sha256`,
    `${ortSha256}  ${basename(ortPath)}\n${onnxSha256}  ${basename(onnxPath)}\n`,
  );
  return { ortPath, ortSha256, onnxSha256 };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const onnxPath = process.argv[2];
  if (!onnxPath) {
    console.error("usage: node service/build/convert-to-ort.mjs <model.onnx>");
    process.exit(2);
  }
  const { ortPath, ortSha256 } = await convertToOrt(onnxPath);
  console.log(`${ortPath} sha256 ${ortSha256}`);
}
