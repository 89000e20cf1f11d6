import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";

import { decodeText, type TextEncoding } from "./decode.js";
import { folderDigest, sha256Hex, type FileDigest } from "./digest.js";
import { DataError } from "./errors.js";
import {
  compareStrings,
  sortTreeDocs,
  splitOfFolderName,
  type RawSource,
  type TreeDoc,
} from "./raw-source.js";

const PARALLEL_READS = 32;

/**
 * Reads `<dir>/<x>-train/<label>/<file>` + `<dir>/<x>-test/<label>/<file>` (the extracted 20news
 * layout), or else a plain `<dir>/<label>/<file>` tree that the caller still has to split.
 */
export async function readFolder(dir: string, encoding: TextEncoding): Promise<RawSource> {
  const subfolders = await listVisible(dir, "folders");
  const trainFolders = subfolders.filter((name) => splitOfFolderName(name) === "train");
  const testFolders = subfolders.filter((name) => splitOfFolderName(name) === "test");
  if (trainFolders.length === 0 && testFolders.length === 0) {
    const tree = await readLabelTree(dir, "", encoding);
    return { kind: "unsplit", docs: sortTreeDocs(tree.docs), sha256: folderDigest(tree.digests) };
  }
  const trainFolder = onlySplitFolder(dir, "train", trainFolders);
  const testFolder = onlySplitFolder(dir, "test", testFolders);
  const train = await readLabelTree(dir, trainFolder, encoding);
  const test = await readLabelTree(dir, testFolder, encoding);
  return {
    kind: "split",
    train: sortTreeDocs(train.docs),
    test: sortTreeDocs(test.docs),
    sha256: folderDigest([...train.digests, ...test.digests]),
  };
}

function onlySplitFolder(dir: string, split: "train" | "test", candidates: string[]): string {
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) {
    throw new DataError(
      `${dir}: has no *-${split}/ folder (needs both *-train/ and *-test/, or only label folders)`,
    );
  }
  throw new DataError(`${dir}: more than one ${split} folder (${candidates.join(", ")})`);
}

interface LabelTree {
  docs: TreeDoc[];
  digests: FileDigest[];
}

/** Reads `<root>/<prefix>/<label>/<file>`; `prefix` is "" for a plain folder-per-label tree. */
async function readLabelTree(root: string, prefix: string, encoding: TextEncoding): Promise<LabelTree> {
  const base = prefix ? join(root, prefix) : root;
  const labels = await listVisible(base, "folders");
  if (labels.length === 0) {
    throw new DataError(`${base}: no label folders found (expected ${base}/<label>/<document files>)`);
  }
  const files: { label: string; fileName: string; relativePath: string }[] = [];
  for (const label of labels) {
    const labelDir = join(base, label);
    const fileNames = await listVisible(labelDir, "files");
    if (fileNames.length === 0) throw new DataError(`${labelDir}: label folder has no documents`);
    const nested = await listVisible(labelDir, "folders");
    if (nested.length > 0) {
      throw new DataError(`${join(labelDir, nested[0]!)}: unexpected folder inside a label folder`);
    }
    for (const fileName of fileNames) {
      const relativePath = [prefix, label, fileName].filter(Boolean).join("/");
      files.push({ label, fileName, relativePath });
    }
  }
  const tree: LabelTree = { docs: [], digests: [] };
  await forEachInParallel(files, PARALLEL_READS, async (file) => {
    const path = join(root, file.relativePath);
    const bytes = await readFile(path);
    tree.digests.push({ relativePath: file.relativePath, sha256: sha256Hex(bytes) });
    tree.docs.push({ label: file.label, fileName: file.fileName, text: decodeText(bytes, encoding, path) });
  });
  return tree;
}

/** Visible (not dot-prefixed) entries of a folder, sorted; symbolic links are followed. */
async function listVisible(dir: string, kind: "folders" | "files"): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const isFolder = entry.isSymbolicLink()
      ? (await stat(join(dir, entry.name))).isDirectory()
      : entry.isDirectory();
    if (isFolder === (kind === "folders")) names.push(entry.name);
  }
  return names.sort(compareStrings);
}

async function forEachInParallel<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
