import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

import { sha256Hex } from "../../src/data/digest.js";
import { DataError, loadCorpus } from "../../src/data/index.js";
import { makeTempDir, MINI_NEWS, writeTar } from "./helpers.js";

describe("loadCorpus on a 20news-style archive", () => {
  it.each(["news.tar.gz", "news.tgz"])(
    "reads %s in label then file-name order, latin-1 decoded",
    async (name) => {
      const path = join(await makeTempDir(), name);
      await writeTar(path, MINI_NEWS);

      const corpus = await loadCorpus(path);

      expect(corpus.train).toEqual([
        { label: "rec.autos", text: "brakes and tyres" },
        { label: "rec.autos", text: "engine wheels car" },
        { label: "sci.space", text: "orbit launch rocket" },
        { label: "sci.space", text: "caf\u00e9 on the moon" },
      ]);
      expect(corpus.test).toEqual([
        { label: "rec.autos", text: "car engine" },
        { label: "sci.space", text: "shuttle orbit" },
      ]);
      expect(corpus.sha256).toBe(sha256Hex(await readFile(path)));
      expect(corpus.source).toBe(path);
    },
  );

  it("reads an uncompressed .tar and ignores hidden files and files outside the split folders", async () => {
    const path = join(await makeTempDir(), "news.tar");
    await writeTar(
      path,
      { ...MINI_NEWS, README: "about", "mini-train/sci.space/._3": "junk" },
      { gzip: false },
    );

    const corpus = await loadCorpus(path);

    expect(corpus.train).toHaveLength(4);
    expect(corpus.test).toHaveLength(2);
  });

  it("decodes UTF-8 when asked to", async () => {
    const path = join(await makeTempDir(), "news.tar.gz");
    await writeTar(path, { ...MINI_NEWS, "mini-train/sci.space/3": Buffer.from("caf\u00e9", "utf8") });

    const corpus = await loadCorpus(path, { encoding: "utf-8" });

    expect(corpus.train.map((doc) => doc.text)).toContain("caf\u00e9");
  });

  it.each([
    [
      "no test folder",
      { "a-train/x/1": "one", "a-train/y/2": "two" },
      /news\.tar\.gz: no \*-test\/<label>\/<file> documents/,
    ],
    [
      "an empty label folder",
      { ...MINI_NEWS, "mini-test/comp.graphics/": "" },
      /label folder mini-test\/comp\.graphics\/ has no documents/,
    ],
    [
      "a file nested too deep",
      { ...MINI_NEWS, "mini-train/sci.space/deep/1": "x" },
      /mini-train\/sci\.space\/deep\/1 is not at <split>\/<label>\/<file>/,
    ],
    [
      "two train folders",
      { ...MINI_NEWS, "other-train/sci.space/1": "x" },
      /more than one train folder \(mini-train, other-train\)/,
    ],
  ])("rejects an archive with %s, naming the archive", async (_case, entries, message) => {
    const path = join(await makeTempDir(), "news.tar.gz");
    await writeTar(path, entries);

    const error = await loadCorpus(path).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toMatch(message);
  });

  it("names the archive and the entry of a file that is not valid UTF-8", async () => {
    const path = join(await makeTempDir(), "news.tar.gz");
    const latin1Byte = Buffer.from([0x63, 0xe9, 0x20]);
    await writeTar(path, {
      ...MINI_NEWS,
      "mini-train/sci.space/3": "ascii",
      "mini-test/rec.autos/9": latin1Byte,
    });

    await expect(loadCorpus(path, { encoding: "utf-8" })).rejects.toThrow(
      `${path}: mini-test/rec.autos/9: not valid UTF-8 text`,
    );
  });

  it.each([
    ["not gzip at all", Buffer.from("this is plain text, not an archive")],
    ["a truncated archive", "truncate"],
  ])("rejects %s with a one-line DataError", async (_case, content) => {
    const dir = await makeTempDir();
    const path = join(dir, "broken.tar.gz");
    if (content === "truncate") {
      await writeTar(join(dir, "whole.tar.gz"), MINI_NEWS);
      const whole = await readFile(join(dir, "whole.tar.gz"));
      await writeFile(path, whole.subarray(0, Math.floor(whole.length / 2)));
    } else {
      await writeFile(path, content);
    }

    const error = await loadCorpus(path).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toMatch(
      new RegExp(`^${path}: not a readable \\.tar\\.gz archive \\(.+\\)$`),
    );
  });
});
