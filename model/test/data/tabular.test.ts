import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

import { sha256Hex } from "../../src/data/digest.js";
import { DataError, loadCorpus } from "../../src/data/index.js";
import { makeTempDir, writeTree } from "./helpers.js";

async function writeOne(name: string, content: string | Buffer): Promise<string> {
  const dir = await makeTempDir();
  await writeTree(dir, { [name]: content });
  return join(dir, name);
}

function jsonl(rows: object[]): string {
  return rows.map((row) => JSON.stringify(row)).join("\n") + "\n";
}

describe("loadCorpus on CSV", () => {
  it("honours a split column and reads quoted multi-line text", async () => {
    const path = await writeOne(
      "docs.csv",
      'label,text,split\nspace,"orbit, launch",train\ncars,"engine\n""V8""",train\nspace,moon,test\ncars,wheel,TEST\n',
    );

    const corpus = await loadCorpus(path);

    expect(corpus.train).toEqual([
      { label: "space", text: "orbit, launch" },
      { label: "cars", text: 'engine\n"V8"' },
    ]);
    expect(corpus.test).toEqual([
      { label: "space", text: "moon" },
      { label: "cars", text: "wheel" },
    ]);
    expect(corpus.sha256).toBe(sha256Hex(await readFile(path)));
  });

  it("splits deterministically when there is no split column", async () => {
    const rows = [
      "text,label",
      ...Array.from({ length: 20 }, (_, index) => `doc ${index},${index % 2 ? "odd" : "even"}`),
    ];
    const path = await writeOne("docs.csv", rows.join("\n"));

    const corpus = await loadCorpus(path, { testFraction: 0.2 });

    expect(corpus.train).toHaveLength(16);
    expect(corpus.test.map((doc) => doc.label).sort()).toEqual(["even", "even", "odd", "odd"]);
    expect(await loadCorpus(path, { testFraction: 0.2 })).toEqual(corpus);
  });

  it.each([
    ["text,label\nok,a\nshort\n", "line 3: expected 2 fields, found 1"],
    ["text,label\nok,a\n,b\n", 'line 3: empty "text"'],
    ["text,label\nok,a\nfine,  \n", 'line 3: empty "label"'],
    [
      "text,label,split\nok,a,train\nok,b,validation\n",
      'line 3: "split" must be "train" or "test", got "validation"',
    ],
    ["words,label\nok,a\n", 'header has no "text" column (found: words, label)'],
    ["text,category\nok,a\n", 'header has no "label" column (found: text, category)'],
    ["text,label\n", "no documents (empty corpus)"],
    ["", "no header row (expected columns text,label)"],
    ['text,label\n"unclosed,a\n', "line 2: quoted field is never closed"],
  ])("rejects %j naming the file and the problem", async (content, problem) => {
    const path = await writeOne("bad.csv", content);

    await expect(loadCorpus(path)).rejects.toThrow(new DataError(`${path}: ${problem}`));
  });

  it("rejects a file that is not UTF-8 unless latin-1 is asked for", async () => {
    const path = await writeOne(
      "latin.csv",
      Buffer.from("text,label\ncaf\u00e9,a\ntea,b\ncoffee,a\nmilk,b\n", "latin1"),
    );

    await expect(loadCorpus(path)).rejects.toThrow(
      new DataError(`${path}: not valid UTF-8 text (is it latin-1? pass encoding latin1)`),
    );
    const corpus = await loadCorpus(path, { encoding: "latin1" });
    expect([...corpus.train, ...corpus.test].map((doc) => doc.text)).toContain("caf\u00e9");
  });
});

describe("loadCorpus on JSONL", () => {
  it("honours a split field and reads number labels as strings", async () => {
    const path = await writeOne(
      "docs.jsonl",
      jsonl([
        { text: "good film", label: 1, split: "train" },
        { text: "bad film", label: 0, split: "train" },
        { text: "great film", label: 1, split: "test", extra: "ignored" },
      ]),
    );

    const corpus = await loadCorpus(path);

    expect(corpus.train).toEqual([
      { text: "good film", label: "1" },
      { text: "bad film", label: "0" },
    ]);
    expect(corpus.test).toEqual([{ text: "great film", label: "1" }]);
  });

  it("takes the test set from a second file, of either format", async () => {
    const trainPath = await writeOne(
      "train.jsonl",
      jsonl([
        { text: "a a", label: "x" },
        { text: "b b", label: "y" },
      ]),
    );
    const testPath = await writeOne("test.csv", "text,label\na b,x\n");

    const corpus = await loadCorpus(trainPath, { testSpec: testPath });

    expect(corpus.train).toHaveLength(2);
    expect(corpus.test).toEqual([{ text: "a b", label: "x" }]);
    expect(corpus.sha256).not.toBe(sha256Hex(await readFile(trainPath)));
  });

  it.each([
    ['{"text": "ok", "label": "a"}\n{"text": "oops", label: "b"}\n', "line 2: invalid JSON"],
    ['{"text": "ok", "label": "a"}\n\n{"text": "no label"}\n', 'line 3: missing "label"'],
    ['{"label": "a"}\n', 'line 1: missing "text"'],
    ['{"text": 5, "label": "a"}\n', 'line 1: "text" must be a string, got number'],
    ['["text", "label"]\n', 'line 1: expected a JSON object with "text" and "label"'],
    [
      '{"text": "a", "label": "x", "split": "train"}\n{"text": "b", "label": "y"}\n',
      'line 2: missing "split" (the first row has one)',
    ],
    [
      '{"text": "a", "label": "x"}\n{"text": "b", "label": "y", "split": "test"}\n',
      'line 2: has a "split" value but the first row has none',
    ],
    ["\n\n", "no documents (empty corpus)"],
  ])("rejects %j naming the file, line and problem", async (content, problem) => {
    const path = await writeOne("bad.jsonl", content);

    const error = await loadCorpus(path).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message.startsWith(`${path}: ${problem}`)).toBe(true);
    expect((error as Error).message).not.toContain("\n");
  });
});
