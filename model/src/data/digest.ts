import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

import { compareStrings } from "./raw-source.js";

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export interface FileDigest {
  /** Path relative to the folder being digested, with "/" separators. */
  relativePath: string;
  sha256: string;
}

/** A folder's identity: SHA-256 over its (relative path, file SHA-256) list in sorted path order. */
export function folderDigest(files: readonly FileDigest[]): string {
  const lines = files
    .map((file) => `${file.relativePath}\t${file.sha256}\n`)
    .sort((a, b) => compareStrings(a, b));
  return sha256Hex(lines.join(""));
}

/** Identity of a corpus read from two sources (a training file and a separate test file). */
export function trainTestDigest(trainSha256: string, testSha256: string): string {
  return sha256Hex(`train\t${trainSha256}\ntest\t${testSha256}\n`);
}
