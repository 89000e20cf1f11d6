import type { Csr } from "../../src/learn/index.js";
import type { LabelledDoc } from "../../src/types.js";

/** A deterministic pseudo-random generator (LCG) for test data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** A random sparse matrix with `density` of its entries set, values in [-1, 1). */
export function randomCsr(rows: number, cols: number, density: number, random: () => number): Csr {
  const indptr = new Int32Array(rows + 1);
  const indices: number[] = [];
  const values: number[] = [];
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      if (random() < density) {
        indices.push(col);
        values.push(2 * random() - 1);
      }
    }
    indptr[row + 1] = indices.length;
  }
  return { rows, cols, indptr, indices: Int32Array.from(indices), values: Float64Array.from(values) };
}

const TOPICS: Record<string, string[]> = {
  space: ["orbit", "rocket", "nasa", "launch", "moon", "shuttle", "satellite", "mars"],
  hockey: ["puck", "goal", "ice", "nhl", "skate", "playoff", "goalie", "rink"],
  cars: ["engine", "wheel", "brake", "ford", "dealer", "mileage", "clutch", "sedan"],
  crypto: ["key", "cipher", "encryption", "clipper", "nsa", "escrow", "pgp", "secure"],
};
const FILLER = ["the", "and", "of", "it", "is", "was", "that", "for", "on", "with", "as", "we"];

/** `perLabel` short documents per topic: mostly filler words, some topic words. */
export function topicCorpus(perLabel: number, seed: number, topicShare = 0.25): LabelledDoc[] {
  const random = seededRandom(seed);
  const pick = (words: string[]) => words[Math.floor(random() * words.length)]!;
  const docs: LabelledDoc[] = [];
  for (let i = 0; i < perLabel; i++) {
    for (const [label, words] of Object.entries(TOPICS)) {
      const text = Array.from({ length: 25 }, () => (random() < topicShare ? pick(words) : pick(FILLER)));
      docs.push({ text: text.join(" "), label });
    }
  }
  return docs;
}
