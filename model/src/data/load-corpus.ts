import { stat } from "node:fs/promises";

import type { Corpus } from "../types.js";
import { readArchive } from "./archive.js";
import { defaultCacheDir } from "./cache-dir.js";
import type { TextEncoding } from "./decode.js";
import { trainTestDigest } from "./digest.js";
import { CANONICAL_ARCHIVE, ensureCanonicalArchive } from "./download.js";
import { DataError } from "./errors.js";
import { errorMessage } from "@textcat/kit/errors";
import { fixtureCorpus } from "./fixture.js";
import { readFolder } from "./folder.js";
import type { RawSource } from "./raw-source.js";
import { DEFAULT_TEST_FRACTION, stratifiedSplit } from "./split.js";
import { readTable } from "./tabular.js";
import { validateCorpus } from "./validate.js";

export interface LoadCorpusOptions {
  /** A separate test set for a source without one (same formats as the main source). */
  testSpec?: string;
  /** Share of each label held out when the source has no test set (default 0.2). */
  testFraction?: number;
  /** Overrides the format's default: latin-1 for archives and folders (20news), UTF-8 for CSV/JSONL. */
  encoding?: TextEncoding;
  /** Where the canonical archive is cached (default: TEXTCAT_CACHE_DIR, XDG cache, ~/.cache). */
  cacheDir?: string;
  onProgress?: (message: string) => void;
}

export const FIXTURE_SPEC = "fixture";

/**
 * Loads a labelled corpus: "fixture", a 20news-style .tar.gz/.tgz/.tar or folder, a folder-per-label
 * tree, a .csv or .jsonl file, or (spec undefined) the canonical 20news-bydate archive, downloaded
 * and verified into the cache. Throws DataError with a one-line message on any bad data.
 */
export async function loadCorpus(spec: string | undefined, options: LoadCorpusOptions = {}): Promise<Corpus> {
  const progress = options.onProgress ?? (() => {});
  if (spec === FIXTURE_SPEC) return fixtureCorpus();
  if (spec?.trim() === "")
    throw new DataError("empty data path (give an archive, folder or file, or leave it out)");
  let path = spec;
  let source = spec;
  if (path === undefined) {
    const cacheDir = options.cacheDir ?? defaultCacheDir();
    path = await ensureCanonicalArchive({ ...CANONICAL_ARCHIVE, cacheDir, onProgress: progress });
    source = CANONICAL_ARCHIVE.url;
  }
  progress(`reading ${path}`);
  const raw = await readSource(path, options.encoding);
  const corpus = await toCorpus(raw, source ?? path, path, options);
  validateCorpus(corpus, corpus.source);
  const labels = new Set(corpus.train.map((doc) => doc.label)).size;
  progress(`${corpus.train.length} training and ${corpus.test.length} test documents, ${labels} labels`);
  return corpus;
}

async function toCorpus(
  raw: RawSource,
  source: string,
  path: string,
  options: LoadCorpusOptions,
): Promise<Corpus> {
  if (raw.kind === "split") {
    if (options.testSpec !== undefined) {
      throw new DataError(
        `${path}: already has a test split; do not also give a test set (${options.testSpec})`,
      );
    }
    return { train: raw.train, test: raw.test, source, sha256: raw.sha256 };
  }
  if (options.testSpec === undefined) {
    const { train, test } = stratifiedSplit(raw.docs, options.testFraction ?? DEFAULT_TEST_FRACTION);
    return { train, test, source, sha256: raw.sha256 };
  }
  const testRaw = await readSource(options.testSpec, options.encoding);
  if (testRaw.kind === "split") {
    throw new DataError(`${options.testSpec}: a test set must not have its own train/test split`);
  }
  return {
    train: raw.docs,
    test: testRaw.docs,
    source: `${source} + ${options.testSpec}`,
    sha256: trainTestDigest(raw.sha256, testRaw.sha256),
  };
}

async function readSource(path: string, encoding: TextEncoding | undefined): Promise<RawSource> {
  let isFolder: boolean;
  try {
    isFolder = (await stat(path)).isDirectory();
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw new DataError(`${path}: ${missing ? "does not exist" : `cannot be read (${errorMessage(error)})`}`);
  }
  try {
    return await readExisting(path, isFolder, encoding);
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(`${path}: cannot be read (${errorMessage(error)})`);
  }
}

function readExisting(
  path: string,
  isFolder: boolean,
  encoding: TextEncoding | undefined,
): Promise<RawSource> {
  if (isFolder) return readFolder(path, encoding ?? "latin1");
  const name = path.toLowerCase();
  if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) return readArchive(path, encoding ?? "latin1");
  if (name.endsWith(".tar")) return readArchive(path, encoding ?? "latin1", false);
  if (name.endsWith(".csv")) return readTable(path, "csv", encoding ?? "utf-8");
  if (name.endsWith(".jsonl")) return readTable(path, "jsonl", encoding ?? "utf-8");
  throw new DataError(
    `${path}: unknown data format (expected a .tar.gz/.tgz/.tar archive, a folder, a .csv or a .jsonl file)`,
  );
}
