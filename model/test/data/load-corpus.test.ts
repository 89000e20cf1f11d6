import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";

import {
  CANONICAL_ARCHIVE,
  DataError,
  DownloadError,
  fixtureCorpus,
  loadCorpus,
} from "../../src/data/index.js";
import { makeTempDir, MINI_NEWS, writeTar, writeTree } from "./helpers.js";

describe("loadCorpus", () => {
  it('returns the embedded fixture for "fixture"', async () => {
    expect(await loadCorpus("fixture")).toEqual(fixtureCorpus());
  });

  it("reports progress", async () => {
    const dir = await makeTempDir();
    await writeTree(dir, { "a/1": "x", "a/2": "y", "b/1": "z", "b/2": "w" });
    const messages: string[] = [];

    await loadCorpus(dir, { onProgress: (message) => messages.push(message) });

    expect(messages).toEqual([`reading ${dir}`, "2 training and 2 test documents, 2 labels"]);
  });

  it("rejects an empty path", async () => {
    await expect(loadCorpus(" ")).rejects.toThrow(
      new DataError("empty data path (give an archive, folder or file, or leave it out)"),
    );
  });

  it("says a path does not exist", async () => {
    const path = join(await makeTempDir(), "missing.tar.gz");

    await expect(loadCorpus(path)).rejects.toThrow(new DataError(`${path}: does not exist`));
  });

  it.each(["data.zip", "data.txt", "data"])("rejects the unknown format of %s", async (name) => {
    const dir = await makeTempDir();
    await writeTree(dir, { [name]: "something" });

    await expect(loadCorpus(join(dir, name))).rejects.toThrow(
      new DataError(
        `${join(dir, name)}: unknown data format (expected a .tar.gz/.tgz/.tar archive, a folder, a .csv or a .jsonl file)`,
      ),
    );
  });

  it("rejects a test label that the training data does not have", async () => {
    const dir = await makeTempDir();
    await writeTree(dir, {
      "x-train/a/1": "one",
      "x-train/b/1": "two",
      "x-test/a/1": "three",
      "x-test/c/1": "four",
    });

    await expect(loadCorpus(dir)).rejects.toThrow(
      new DataError(`${dir}: test label "c" not in the training data`),
    );
  });

  it("rejects a separate test set for a source that already has one", async () => {
    const path = join(await makeTempDir(), "news.tar.gz");
    await writeTar(path, MINI_NEWS);

    await expect(loadCorpus(path, { testSpec: "other.csv" })).rejects.toThrow(
      new DataError(`${path}: already has a test split; do not also give a test set (other.csv)`),
    );
  });

  it("rejects a test set that has its own split, and a missing test set", async () => {
    const dir = await makeTempDir();
    await writeTree(dir, {
      "train.csv": "text,label\na,x\nb,y\n",
      "test.csv": "text,label,split\na,x,test\n",
    });

    await expect(loadCorpus(join(dir, "train.csv"), { testSpec: join(dir, "test.csv") })).rejects.toThrow(
      new DataError(`${join(dir, "test.csv")}: a test set must not have its own train/test split`),
    );
    await expect(loadCorpus(join(dir, "train.csv"), { testSpec: join(dir, "nope.csv") })).rejects.toThrow(
      new DataError(`${join(dir, "nope.csv")}: does not exist`),
    );
  });

  it("rejects a corpus whose labels all have a single document (nothing left to test on)", async () => {
    const path = join(await makeTempDir(), "tiny.csv");
    await writeTree(join(path, ".."), { "tiny.csv": "text,label\none,a\ntwo,b\n" });

    await expect(loadCorpus(path)).rejects.toThrow(
      new DataError(`${path}: no test documents (the test split is empty)`),
    );
  });
});

describe("loadCorpus with no data given", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.unstubAllEnvs();
  });

  it("verifies the cached canonical archive, drops a corrupt one, and reports a failed download in one line", async () => {
    const cacheDir = await makeTempDir();
    await writeTree(cacheDir, { [CANONICAL_ARCHIVE.fileName]: "corrupt" });
    vi.stubEnv("TEXTCAT_CACHE_DIR", cacheDir);
    const requested: string[] = [];
    vi.stubGlobal("fetch", async (url: string) => {
      requested.push(url);
      return new Response("gone", { status: 404, statusText: "Not Found" });
    });

    await expect(loadCorpus(undefined)).rejects.toThrow(
      new DownloadError(
        `${CANONICAL_ARCHIVE.url}: download failed: HTTP 404 Not Found; download it yourself and pass its path instead`,
      ),
    );
    expect(requested).toEqual([CANONICAL_ARCHIVE.url]);
    expect(await readdir(cacheDir)).toEqual([]);
  });
});
