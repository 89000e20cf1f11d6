import { NGRAM_SEPARATOR, type FittedVectorizer, type VectorizerParams } from "../types.js";
import type { Csr } from "./csr.js";
import { GrowableInt32 } from "./growable.js";
import type { OnProgress } from "./progress.js";
import { forEachNgram, tokenize } from "./tokenize.js";

export class VectorizerParamsError extends Error {
  override name = "VectorizerParamsError";
}

const PROGRESS_EVERY_DOCS = 2000;

/**
 * Fits the vocabulary and idf on `docs` (scikit-learn's TfidfVectorizer) and returns the docs' tf-idf
 * rows. `labels` (each doc's class index) is needed only by the `chi2` selection.
 */
export function fitTransform(
  docs: readonly string[],
  params: VectorizerParams,
  onProgress?: OnProgress,
  labels?: Int32Array,
): { vectorizer: FittedVectorizer; matrix: Csr } {
  validateParams(params);
  const counted = countNgrams(docs, params, onProgress);
  let { ids: kept, texts: vocabulary } = selectTerms(counted, params, docs.length);
  if (kept.length === 0) {
    throw new VectorizerParamsError(
      `no n-gram is left after min_df/max_df pruning of ${docs.length} documents: lower minDf or raise maxDf`,
    );
  }
  if (params.selection === "chi2" && params.maxFeatures !== undefined && kept.length > params.maxFeatures) {
    if (!labels) throw new VectorizerParamsError("chi2 feature selection needs the training labels");
    const all = buildMatrix(counted, kept, vocabulary, docs.length, params);
    const chosen = topColumns(chi2Scores(all.matrix, labels), params.maxFeatures);
    kept = chosen.map((column) => kept[column]!);
    vocabulary = chosen.map((column) => vocabulary[column]!);
  }
  const fitted = buildMatrix(counted, kept, vocabulary, docs.length, params);
  onProgress?.({
    stage: "vectorize",
    message: `${docs.length} documents, ${vocabulary.length} features`,
    done: docs.length,
    total: docs.length,
  });
  return fitted;
}

function buildMatrix(
  counted: NgramCounts,
  kept: readonly number[],
  vocabulary: string[],
  documents: number,
  params: VectorizerParams,
): { vectorizer: FittedVectorizer; matrix: Csr } {
  const idf = new Float64Array(kept.length);
  const columnOfTerm = new Int32Array(counted.termCount).fill(-1);
  kept.forEach((termId, column) => {
    columnOfTerm[termId] = column;
    idf[column] = smoothIdf(documents, counted.df.get(termId));
  });
  const vectorizer: FittedVectorizer = { params: { ...params }, vocabulary, idf };
  const builder = new RowBuilder(vectorizer);
  const { docStart, entryTerm, entryCount } = counted;
  for (let doc = 0; doc < documents; doc++) {
    for (let entry = docStart.get(doc); entry < docStart.get(doc + 1); entry++) {
      const column = columnOfTerm[entryTerm.get(entry)] as number;
      if (column >= 0) builder.add(column, entryCount.get(entry));
    }
    builder.endRow();
  }
  return { vectorizer, matrix: builder.finish() };
}

/** scikit-learn's chi2(X, y): Σ_classes (observed − expected)² / expected per column of a non-negative X. */
export function chi2Scores(X: Csr, labels: Int32Array): Float64Array {
  let classes = 0;
  for (const label of labels) classes = Math.max(classes, label + 1);
  const observed = new Float64Array(X.cols * classes);
  const featureTotal = new Float64Array(X.cols);
  const classShare = new Float64Array(classes);
  for (let row = 0; row < X.rows; row++) {
    const label = labels[row]!;
    classShare[label] = classShare[label]! + 1 / X.rows;
    for (let k = X.indptr[row]!; k < X.indptr[row + 1]!; k++) {
      const column = X.indices[k]!;
      observed[column * classes + label] = observed[column * classes + label]! + X.values[k]!;
      featureTotal[column] = featureTotal[column]! + X.values[k]!;
    }
  }
  const scores = new Float64Array(X.cols);
  for (let column = 0; column < X.cols; column++) {
    let score = 0;
    for (let c = 0; c < classes; c++) {
      const expected = classShare[c]! * featureTotal[column]!;
      if (expected > 0) score += (observed[column * classes + c]! - expected) ** 2 / expected;
    }
    scores[column] = score;
  }
  return scores;
}

/** Indices of the `count` highest scores (ties: the lower index), in ascending index order. */
function topColumns(scores: Float64Array, count: number): number[] {
  const order = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]! || a - b);
  return order.slice(0, count).sort((a, b) => a - b);
}

export function fitVectorizer(
  docs: readonly string[],
  params: VectorizerParams,
  onProgress?: OnProgress,
): FittedVectorizer {
  return fitTransform(docs, params, onProgress).vectorizer;
}

const columnIndexCache = new WeakMap<FittedVectorizer, Map<string, number>>();

function columnIndex(vectorizer: FittedVectorizer): Map<string, number> {
  let index = columnIndexCache.get(vectorizer);
  if (!index) {
    index = new Map(vectorizer.vocabulary.map((term, column) => [term, column]));
    columnIndexCache.set(vectorizer, index);
  }
  return index;
}

/** The tf-idf rows of `docs` under a fitted vocabulary; unknown n-grams are ignored. */
export function transform(vectorizer: FittedVectorizer, docs: readonly string[]): Csr {
  const index = columnIndex(vectorizer);
  const builder = new RowBuilder(vectorizer);
  for (const doc of docs) {
    forEachNgram(tokenize(doc), vectorizer.params.ngramRange, (ngram) => {
      const column = index.get(ngram);
      if (column !== undefined) builder.add(column, 1);
    });
    builder.endRow();
  }
  return builder.finish();
}

export function smoothIdf(documents: number, documentFrequency: number): number {
  return Math.log((1 + documents) / (1 + documentFrequency)) + 1;
}

/** min_df / max_df as document counts: integers are counts, fractions proportions (maxDf 1 = all). */
export function documentCountBounds(params: VectorizerParams, documents: number): [number, number] {
  const min = Number.isInteger(params.minDf) ? params.minDf : params.minDf * documents;
  const max = params.maxDf <= 1 ? params.maxDf * documents : params.maxDf;
  return [min, max];
}

function validateParams(params: VectorizerParams): void {
  const [minN, maxN] = params.ngramRange;
  if (!Number.isInteger(minN) || !Number.isInteger(maxN) || minN < 1 || maxN < minN) {
    throw new VectorizerParamsError(`ngramRange must be integers 1 <= min <= max, got [${minN}, ${maxN}]`);
  }
  const fractionOrCount = (value: number) => value > 0 && (value < 1 || Number.isInteger(value));
  if (!fractionOrCount(params.minDf)) {
    throw new VectorizerParamsError(
      `minDf must be a count >= 1 or a fraction in (0, 1), got ${params.minDf}`,
    );
  }
  if (!fractionOrCount(params.maxDf)) {
    throw new VectorizerParamsError(
      `maxDf must be a count >= 2 or a fraction in (0, 1], got ${params.maxDf}`,
    );
  }
  if (params.selection !== undefined && !["frequency", "chi2"].includes(params.selection)) {
    throw new VectorizerParamsError(
      `selection must be "frequency" or "chi2", got ${String(params.selection)}`,
    );
  }
  if (params.maxFeatures !== undefined && !(Number.isInteger(params.maxFeatures) && params.maxFeatures > 0)) {
    throw new VectorizerParamsError(`maxFeatures must be a positive integer, got ${params.maxFeatures}`);
  }
}

interface NgramCounts {
  /** Term id → n-gram, built on demand from the term's prefix and last token (see `termText`). */
  prefix: GrowableInt32;
  lastToken: GrowableInt32;
  tokens: string[];
  termCount: number;
  df: GrowableInt32;
  /** Term id → occurrences in the whole corpus (the order of scikit-learn's max_features cap). */
  total: GrowableInt32;
  /** Each doc's distinct terms and their counts: entries docStart[d] .. docStart[d + 1] - 1. */
  docStart: GrowableInt32;
  entryTerm: GrowableInt32;
  entryCount: GrowableInt32;
}

/** Term ids must fit in 26 bits for an (n−1)-gram id and a token id to make one exact number key. */
const TERM_ID_LIMIT = 2 ** 26;

function termText(counts: NgramCounts, term: number): string {
  const prefix = counts.prefix.get(term);
  const last = counts.tokens[counts.lastToken.get(term)] as string;
  return prefix < 0 ? last : termText(counts, prefix) + NGRAM_SEPARATOR + last;
}

/**
 * Counts every n-gram of every doc. An n-gram is identified by its (n−1)-gram prefix's id and its last
 * token's id, combined into one number key, so no n-gram string is built or hashed while counting.
 */
function countNgrams(
  docs: readonly string[],
  params: VectorizerParams,
  onProgress?: OnProgress,
): NgramCounts {
  const [minN, maxN] = params.ngramRange;
  const tokenIdOf = new Map<string, number>();
  const termOfToken = new GrowableInt32();
  const termOfKey = new Map<number, number>();
  const counts: NgramCounts = {
    prefix: new GrowableInt32(),
    lastToken: new GrowableInt32(),
    tokens: [],
    termCount: 0,
    df: new GrowableInt32(),
    total: new GrowableInt32(),
    docStart: new GrowableInt32(docs.length + 1),
    entryTerm: new GrowableInt32(),
    entryCount: new GrowableInt32(),
  };
  const newTerm = (prefix: number, token: number): number => {
    if (counts.termCount >= TERM_ID_LIMIT) {
      throw new VectorizerParamsError(
        `more than ${TERM_ID_LIMIT} distinct n-grams: use a smaller ngramRange`,
      );
    }
    counts.prefix.push(prefix);
    counts.lastToken.push(token);
    counts.df.push(0);
    counts.total.push(0);
    return counts.termCount++;
  };
  const docTerms = new GrowableInt32();
  const docTokens = new GrowableInt32();
  counts.docStart.push(0);
  docs.forEach((doc, docIndex) => {
    docTerms.length = 0;
    docTokens.length = 0;
    for (const token of tokenize(doc)) {
      let tokenId = tokenIdOf.get(token);
      if (tokenId === undefined) {
        tokenId = counts.tokens.length;
        tokenIdOf.set(token, tokenId);
        counts.tokens.push(token);
        termOfToken.push(newTerm(-1, tokenId));
      }
      docTokens.push(tokenId);
    }
    for (let start = 0; start < docTokens.length; start++) {
      let term = termOfToken.get(docTokens.get(start));
      if (minN === 1) docTerms.push(term);
      for (let n = 2; n <= maxN && start + n <= docTokens.length; n++) {
        const token = docTokens.get(start + n - 1);
        const key = term * TERM_ID_LIMIT + token;
        let next = termOfKey.get(key);
        if (next === undefined) {
          next = newTerm(term, token);
          termOfKey.set(key, next);
        }
        term = next;
        if (n >= minN) docTerms.push(term);
      }
    }
    const sorted = docTerms.view().sort();
    for (let start = 0; start < sorted.length;) {
      const id = sorted[start] as number;
      let end = start + 1;
      while (end < sorted.length && sorted[end] === id) end++;
      counts.entryTerm.push(id);
      counts.entryCount.push(end - start);
      counts.df.set(id, counts.df.get(id) + 1);
      counts.total.set(id, counts.total.get(id) + (end - start));
      start = end;
    }
    counts.docStart.push(counts.entryTerm.length);
    if ((docIndex + 1) % PROGRESS_EVERY_DOCS === 0) {
      onProgress?.({
        stage: "vectorize",
        message: `counted n-grams of ${docIndex + 1}/${docs.length} documents`,
        done: docIndex + 1,
        total: docs.length,
      });
    }
  });
  return counts;
}

/** Terms kept by min_df / max_df (and the maxFeatures cap), in sorted n-gram order, with their text. */
function selectTerms(
  counts: NgramCounts,
  params: VectorizerParams,
  documents: number,
): { ids: number[]; texts: string[] } {
  const [minCount, maxCount] = documentCountBounds(params, documents);
  let kept: number[] = [];
  for (let id = 0; id < counts.termCount; id++) {
    const df = counts.df.get(id);
    // df 0: a prefix shorter than ngramRange's minimum, never counted itself.
    if (df >= 1 && df >= minCount && df <= maxCount) kept.push(id);
  }
  const capByFrequency = (params.selection ?? "frequency") === "frequency";
  if (capByFrequency && params.maxFeatures !== undefined && kept.length > params.maxFeatures) {
    const textOf = new Map(kept.map((id) => [id, termText(counts, id)]));
    // Highest corpus frequency first; equal totals in n-gram order.
    kept = kept
      .sort(
        (a, b) => counts.total.get(b) - counts.total.get(a) || compareText(textOf.get(a)!, textOf.get(b)!),
      )
      .slice(0, params.maxFeatures);
  }
  const entries = kept.map((id) => ({ id, text: termText(counts, id) }));
  entries.sort((a, b) => compareText(a.text, b.text));
  return { ids: entries.map((entry) => entry.id), texts: entries.map((entry) => entry.text) };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Assembles tf-idf rows: term counts → (sublinear) tf × idf → L2-normalised row. */
class RowBuilder {
  private readonly counts: Float64Array;
  private readonly rowColumns = new GrowableInt32();
  private readonly indptr = new GrowableInt32();
  private readonly indices = new GrowableInt32();
  private values = new Float64Array(1024);

  constructor(private readonly vectorizer: FittedVectorizer) {
    this.counts = new Float64Array(vectorizer.vocabulary.length);
    this.indptr.push(0);
  }

  add(column: number, count: number): void {
    if (this.counts[column] === 0) this.rowColumns.push(column);
    this.counts[column] = (this.counts[column] as number) + count;
  }

  endRow(): void {
    const columns = this.rowColumns.view().sort();
    const start = this.indices.length;
    if (this.values.length < start + columns.length) {
      const grown = new Float64Array(Math.max(start + columns.length, this.values.length * 2));
      grown.set(this.values);
      this.values = grown;
    }
    const { idf, params } = this.vectorizer;
    let squaredNorm = 0;
    for (let k = 0; k < columns.length; k++) {
      const column = columns[k] as number;
      const count = this.counts[column] as number;
      this.counts[column] = 0;
      const tf = params.sublinearTf ? 1 + Math.log(count) : count;
      const value = tf * (idf[column] as number);
      squaredNorm += value * value;
      this.indices.push(column);
      this.values[start + k] = value;
    }
    if (squaredNorm > 0) {
      const inverseNorm = 1 / Math.sqrt(squaredNorm);
      for (let k = start; k < this.indices.length; k++)
        this.values[k] = (this.values[k] as number) * inverseNorm;
    }
    this.rowColumns.length = 0;
    this.indptr.push(this.indices.length);
  }

  finish(): Csr {
    return {
      rows: this.indptr.length - 1,
      cols: this.vectorizer.vocabulary.length,
      indptr: this.indptr.toArray(),
      indices: this.indices.toArray(),
      values: this.values.slice(0, this.indices.length),
    };
  }
}
