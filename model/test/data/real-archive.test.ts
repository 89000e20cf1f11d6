import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

import { sha256OfFile } from "../../src/data/digest.js";
import { loadCorpus } from "../../src/data/index.js";

// The workplace keeps the archive in shared/ beside the repository (never committed).
const SHARED_ARCHIVE = resolve(import.meta.dirname, "../../../../shared/data/20news-bydate.tar.gz");

describe.skipIf(!existsSync(SHARED_ARCHIVE))("the shared 20news-bydate archive", () => {
  it("loads 11,314 training and 7,532 test documents over 20 labels, in sorted order", async () => {
    const corpus = await loadCorpus(SHARED_ARCHIVE);

    expect(corpus.train).toHaveLength(11314);
    expect(corpus.test).toHaveLength(7532);
    const labels = [...new Set(corpus.train.map((doc) => doc.label))];
    expect(labels).toHaveLength(20);
    expect(labels).toEqual([...labels].sort());
    expect(new Set(corpus.test.map((doc) => doc.label))).toEqual(new Set(labels));
    expect(corpus.train.filter((doc) => doc.label === "alt.atheism")).toHaveLength(480);
    expect(corpus.test.filter((doc) => doc.label === "talk.religion.misc")).toHaveLength(251);
    expect(corpus.train[0]!.text).toMatch(
      /^From: mathew <mathew@mantis\.co\.uk>\nSubject: Alt\.Atheism FAQ: Atheist Resources/,
    );
    expect(corpus.sha256).toBe(await sha256OfFile(SHARED_ARCHIVE));
  });
});
