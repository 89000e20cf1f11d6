import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

import { DataError, loadCorpus } from "../../src/data/index.js";
import { makeTempDir, writeTree } from "./helpers.js";

const SPLIT_TREE = {
  "news-train/sci.space/20": "orbit launch rocket",
  "news-train/sci.space/3": "caf\u00e9 on the moon",
  "news-train/rec.autos/7": "engine wheels car",
  "news-test/sci.space/5": "shuttle orbit",
  "news-test/rec.autos/9": "car engine",
  "news-test/rec.autos/.hidden": "ignored",
  "README.txt": "a loose file at the top is ignored",
};

function labelTree(docsPerLabel: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (const label of ["cats", "dogs", "fish"]) {
    for (let index = 0; index < docsPerLabel; index++)
      files[`${label}/${index}.txt`] = `${label} document ${index}`;
  }
  return files;
}

describe("loadCorpus on a folder", () => {
  it("reads an extracted 20news layout in label then file-name order", async () => {
    const dir = await makeTempDir();
    await writeTree(dir, {
      ...SPLIT_TREE,
      "news-train/sci.space/3": Buffer.from("caf\u00e9 on the moon", "latin1"),
    });

    const corpus = await loadCorpus(dir);

    expect(corpus.train).toEqual([
      { label: "rec.autos", text: "engine wheels car" },
      { label: "sci.space", text: "orbit launch rocket" },
      { label: "sci.space", text: "caf\u00e9 on the moon" },
    ]);
    expect(corpus.test).toEqual([
      { label: "rec.autos", text: "car engine" },
      { label: "sci.space", text: "shuttle orbit" },
    ]);
  });

  it("gives a folder digest that ignores file order on disk but changes with any file's content or name", async () => {
    const first = await makeTempDir();
    const second = await makeTempDir();
    await writeTree(first, SPLIT_TREE);
    await writeTree(second, Object.fromEntries(Object.entries(SPLIT_TREE).reverse()));
    const digest = (await loadCorpus(first)).sha256;

    expect((await loadCorpus(second)).sha256).toBe(digest);
    await writeFile(join(second, "news-test/rec.autos/9"), "car engines");
    expect((await loadCorpus(second)).sha256).not.toBe(digest);
    await writeTree(first, { "news-test/rec.autos/10": "car engine" });
    expect((await loadCorpus(first)).sha256).not.toBe(digest);
  });

  it("splits a plain folder-per-label tree with every label on both sides", async () => {
    const dir = await makeTempDir();
    await writeTree(dir, labelTree(10));

    const corpus = await loadCorpus(dir, { testFraction: 0.3 });

    expect(corpus.train).toHaveLength(21);
    expect(corpus.test).toHaveLength(9);
    for (const side of [corpus.train, corpus.test]) {
      expect(new Set(side.map((doc) => doc.label))).toEqual(new Set(["cats", "dogs", "fish"]));
    }
    expect(await loadCorpus(dir, { testFraction: 0.3 })).toEqual(corpus);
  });

  it("takes the test set from a second folder when given one", async () => {
    const trainDir = await makeTempDir();
    const testDir = await makeTempDir();
    await writeTree(trainDir, labelTree(3));
    await writeTree(testDir, labelTree(1));

    const corpus = await loadCorpus(trainDir, { testSpec: testDir });

    expect(corpus.train).toHaveLength(9);
    expect(corpus.test).toEqual([
      { label: "cats", text: "cats document 0" },
      { label: "dogs", text: "dogs document 0" },
      { label: "fish", text: "fish document 0" },
    ]);
    expect(corpus.source).toBe(`${trainDir} + ${testDir}`);
  });

  it.each([
    ["no test folder", { "news-train/a/1": "x", "news-train/b/1": "y" }, "", /has no \*-test\/ folder/],
    [
      "a label with no documents",
      { ...SPLIT_TREE, "news-test/comp.graphics/": "" },
      "news-test/comp.graphics",
      /label folder has no documents/,
    ],
    ["no label folders", { "loose.txt": "x" }, "", /no label folders found/],
    [
      "a folder inside a label folder",
      { "a/1": "x", "b/1": "y", "b/deeper/2": "z" },
      "b/deeper",
      /unexpected folder inside a label folder/,
    ],
    [
      "only one label",
      { "a/1": "x", "a/2": "y", "a/3": "z" },
      "",
      /only one label \("a"\) in the training data; need at least 2/,
    ],
  ])("rejects a folder with %s, naming the folder", async (_case, files, where, message) => {
    const dir = await makeTempDir();
    await writeTree(dir, files);

    const error = await loadCorpus(dir).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toMatch(new RegExp(`^${join(dir, where)}: `));
    expect((error as Error).message).toMatch(message);
  });

  it("names the file that is not valid UTF-8", async () => {
    const dir = await makeTempDir();
    await writeTree(dir, { "a/1": "fine", "a/2": "fine too", "b/1": Buffer.from([0xff, 0xfe, 0x41]) });

    await expect(loadCorpus(dir, { encoding: "utf-8" })).rejects.toThrow(
      new DataError(`${join(dir, "b/1")}: not valid UTF-8 text (is it latin-1? pass encoding latin1)`),
    );
  });
});
