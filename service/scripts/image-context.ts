/**
 * The Docker build context of the service image, as a tar stream: only the files the Dockerfile
 * copies (no node_modules, no data), and the chosen model under model/artifacts/model.onnx.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import tar from "tar-stream";

export const CONTEXT_FILES = [
  "package.json",
  "package-lock.json",
  ".npmrc",
  "service/Dockerfile",
  "model/src/contract.ts",
];
export const CONTEXT_DIRS = ["service/build", "service/src"];
export const MODEL_IN_CONTEXT = "model/artifacts/model.onnx";

function filesUnder(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(root, path);
    return entry.isFile() ? [path] : [];
  });
}

export function contextFileList(repoRoot: string): string[] {
  return [...CONTEXT_FILES, ...CONTEXT_DIRS.flatMap((dir) => filesUnder(repoRoot, dir))].sort();
}

export function buildContext(repoRoot: string, modelPath: string): tar.Pack {
  const pack = tar.pack();
  const fixedTime = new Date(0);
  for (const file of contextFileList(repoRoot)) {
    const path = join(repoRoot, file);
    pack.entry(
      { name: relative(repoRoot, path), mode: statSync(path).mode & 0o777, mtime: fixedTime },
      readFileSync(path),
    );
  }
  pack.entry({ name: MODEL_IN_CONTEXT, mode: 0o644, mtime: fixedTime }, readFileSync(modelPath));
  pack.finalize();
  return pack;
}
