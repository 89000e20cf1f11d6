import { NGRAM_SEPARATOR, TOKEN_PATTERN } from "../types.js";

const tokenRegex = new RegExp(TOKEN_PATTERN, "gu");

/** Lowercases `text` and returns its tokens: what scikit-learn's default analyzer finds. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(tokenRegex) ?? [];
}

/** Calls `visit` with every n-gram of `tokens` for n in [minN, maxN], as scikit-learn builds them. */
export function forEachNgram(
  tokens: readonly string[],
  [minN, maxN]: readonly [number, number],
  visit: (ngram: string) => void,
): void {
  for (let n = minN; n <= maxN; n++) {
    for (let start = 0; start + n <= tokens.length; start++) {
      let ngram = tokens[start] as string;
      for (let k = 1; k < n; k++) ngram += NGRAM_SEPARATOR + (tokens[start + k] as string);
      visit(ngram);
    }
  }
}

/** All n-grams of `tokens` for n in [minN, maxN], unigrams first. */
export function ngrams(tokens: readonly string[], range: readonly [number, number]): string[] {
  const out: string[] = [];
  forEachNgram(tokens, range, (ngram) => out.push(ngram));
  return out;
}
