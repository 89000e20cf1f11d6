// Writes <model>.sha256 next to the model (the value the handler checks at every cold start) and,
// when the builder passed the digest it computed, fails the build if the file changed on the way.
// Usage: node service/build/record-model-sha256.mjs <model.onnx> [expected-sha256]
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";

const [modelPath, expected = ""] = process.argv.slice(2);
if (!modelPath) {
  console.error("usage: node service/build/record-model-sha256.mjs <model.onnx> [expected-sha256]");
  process.exit(2);
}
const sha256 = createHash("sha256").update(readFileSync(modelPath)).digest("hex");
if (expected !== "" && expected.toLowerCase() !== sha256) {
  console.error(`record-model-sha256: ${modelPath} has SHA-256 ${sha256}, but the builder sent ${expected}`);
  process.exit(1);
}
writeFileSync(modelPath.replace(/\.onnx$/, "") + ".sha256", `${sha256}  ${basename(modelPath)}\n`);
console.log(`model sha256 ${sha256}`);
