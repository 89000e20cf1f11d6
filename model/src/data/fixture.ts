import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

import type { Corpus, LabelledDoc } from "../types.js";
import { sha256Hex } from "./digest.js";
import { DataError } from "./errors.js";
import { FIXTURE_CLOSERS, FIXTURE_OPENERS, FIXTURE_TOPICS, type TopicTemplates } from "./fixture-texts.js";

export const FIXTURE_DOCS_PER_LABEL = 40;
/** Every FIXTURE_TEST_EVERY-th document of a label is a test document (10 of 40). */
const FIXTURE_TEST_EVERY = 4;

interface FixtureDoc extends LabelledDoc {
  /** Position within its label, 1-based; the file name when written out. */
  number: number;
  split: "train" | "test";
}

/**
 * A small, deterministic labelled corpus generated in code: 4 labels × 40 short forum-style posts
 * (30 train, 10 test per label), so tests and the demo run without the 20 Newsgroups archive.
 */
export function fixtureCorpus(): Corpus {
  const docs = fixtureDocs();
  const train = docs.filter((doc) => doc.split === "train").map(({ text, label }) => ({ text, label }));
  const test = docs.filter((doc) => doc.split === "test").map(({ text, label }) => ({ text, label }));
  return { train, test, source: "fixture", sha256: sha256Hex(JSON.stringify({ train, test })) };
}

/**
 * Writes the fixture as files: layout "split" (default) gives `<dir>/fixture-train/<label>/NNN.txt` and
 * `<dir>/fixture-test/<label>/NNN.txt`, which loads back as exactly fixtureCorpus()'s train/test;
 * "flat" gives `<dir>/<label>/NNN.txt` (a folder-per-label corpus with no split).
 */
export async function writeFixtureFolder(dir: string, layout: "split" | "flat" = "split"): Promise<number> {
  const existing = await readdir(dir).catch(() => []);
  if (existing.length > 0) throw new DataError(`${dir}: folder is not empty; choose a new or empty folder`);
  const docs = fixtureDocs();
  for (const doc of docs) {
    const labelDir = layout === "split" ? join(dir, `fixture-${doc.split}`, doc.label) : join(dir, doc.label);
    await mkdir(labelDir, { recursive: true });
    await writeFile(join(labelDir, `${String(doc.number).padStart(3, "0")}.txt`), doc.text);
  }
  return docs.length;
}

function fixtureDocs(): FixtureDoc[] {
  const docs: FixtureDoc[] = [];
  for (const label of Object.keys(FIXTURE_TOPICS).sort()) {
    const random = seededRandom(sha256Hex(`fixture/${label}`));
    const seen = new Set<string>();
    while (seen.size < FIXTURE_DOCS_PER_LABEL) {
      const text = composePost(FIXTURE_TOPICS[label]!, random);
      if (seen.has(text)) continue;
      seen.add(text);
      const number = seen.size;
      docs.push({ text, label, number, split: number % FIXTURE_TEST_EVERY === 0 ? "test" : "train" });
    }
  }
  return docs;
}

/** An optional opener, two different topic sentences, an optional closer. */
function composePost(topic: TopicTemplates, random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const first = pick(topic.sentences);
  let second = pick(topic.sentences);
  while (second === first) second = pick(topic.sentences);
  const parts = [fillSlots(first, topic, random), fillSlots(second, topic, random)];
  if (random() < 0.4) parts.unshift(pick(FIXTURE_OPENERS));
  if (random() < 0.4) parts.push(pick(FIXTURE_CLOSERS));
  return parts.join(" ");
}

function fillSlots(sentence: string, topic: TopicTemplates, random: () => number): string {
  const used = new Map<string, Set<string>>();
  const filled = sentence.replace(/\{(\w+)\}/g, (_match, slot: string) => {
    const taken = used.get(slot) ?? new Set<string>();
    const choices = topic.slots[slot]!.filter((value) => !taken.has(value));
    const value = choices[Math.floor(random() * choices.length)]!;
    taken.add(value);
    used.set(slot, taken);
    return value;
  });
  return filled.charAt(0).toUpperCase() + filled.slice(1);
}

/** mulberry32 seeded from a hex digest: a tiny PRNG that gives the same sequence on every platform. */
function seededRandom(seedHex: string): () => number {
  let state = Number.parseInt(seedHex.slice(0, 8), 16) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
