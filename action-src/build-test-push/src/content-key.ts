/**
 * The content key: one SHA-256 over exactly what goes into the image — each file's relative path and
 * bytes, in sorted path order — and the base image reference. Same inputs, same key, on any machine.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { isAbsolute, join, posix, relative, sep } from "node:path";
import { ActionError } from "@textcat/action-shared/errors";
import { filesUnder } from "@textcat/kit/files";

export interface ContentFile {
  /** POSIX path relative to the repository root. */
  path: string;
  bytes: Uint8Array;
}

const KEY_FORMAT = "textcat-content-key/v1";

export function computeContentKey(files: readonly ContentFile[], baseImage: string): string {
  const hash = createHash("sha256");
  hash.update(`${KEY_FORMAT}\0base-image\0${baseImage}\0`);
  // Code-unit order, the same on any machine.
  // Stryker disable next-line EqualityOperator,ConditionalExpression: equivalent, V8's sort only asks whether the result is negative and collected paths are distinct
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const file of sorted) {
    hash.update(`file\0${file.path}\0${file.bytes.length}\0`);
    hash.update(file.bytes);
  }
  return hash.digest("hex");
}

/** Reads every file under the listed paths (directories recursively); a missing path is an error. */
export function collectContent(root: string, paths: readonly string[]): ContentFile[] {
  const files = new Map<string, ContentFile>();
  for (const listed of paths) {
    if (isAbsolute(listed) || listed.split(/[\\/]/).includes("..")) {
      throw new ActionError(`content path "${listed}" must be relative and inside the repository`);
    }
    const full = join(root, listed);
    let isDirectory: boolean;
    try {
      isDirectory = statSync(full).isDirectory();
    } catch {
      throw new ActionError(`content path "${listed}" does not exist`);
    }
    for (const file of isDirectory ? filesUnder(full) : [full]) {
      const path = relative(root, file).split(sep).join(posix.sep);
      files.set(path, { path, bytes: readFileSync(file) });
    }
  }
  return [...files.values()];
}
