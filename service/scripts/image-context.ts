/**
 * The Docker build context of the service image, as a tar stream: only the files the Dockerfile
 * copies (no node_modules, no data), and the chosen model under model/artifacts/model.onnx.
 * What enters is listed once, in service/image-context.json.
 */
import { readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { filesUnder } from "@textcat/kit/files";
import tar from "tar-stream";

/** The one list of what enters the image; build-test-push's content key hashes the same list. */
export const IMAGE_CONTEXT_LIST = "service/image-context.json";
/** Repository-relative paths, directories ending in "/". */
export const IMAGE_CONTENT_PATHS: readonly string[] = JSON.parse(
  readFileSync(join(import.meta.dirname, "../image-context.json"), "utf8"),
);
export const MODEL_IN_CONTEXT = "model/artifacts/model.onnx";
export const CONTEXT_DIRS = IMAGE_CONTENT_PATHS.filter((path) => path.endsWith("/")).map((path) =>
  path.slice(0, -1),
);
export const CONTEXT_FILES = IMAGE_CONTENT_PATHS.filter(
  (path) => !path.endsWith("/") && path !== MODEL_IN_CONTEXT,
);

export function contextFileList(repoRoot: string): string[] {
  const underDirs = CONTEXT_DIRS.flatMap((dir) =>
    filesUnder(join(repoRoot, dir)).map((path) => relative(repoRoot, path)),
  );
  return [...CONTEXT_FILES, ...underDirs].sort();
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
