import type { FittedVectorizer, VectorizerParams } from "../types.js";
import type { Csr } from "./csr.js";
import { GrowableInt32 } from "./growable.js";
import type { OnProgress } from "./progress.js";
import { forEachNgram, tokenize } from "./tokenize.js";

export class VectorizerParamsError extends Error {
  override name = "VectorizerParamsError";
}

const PROGRESS_EVERY_DOCS = 2000;

/** Fits the vocabulary and idf on `docs` (scikit-learn's TfidfVectorizer) and returns the docs' tf-idf rows. */
export function fitTransform(
  docs: readonly string[],
  params: VectorizerParams,
  onProgress?: OnProgress,
): { vectorizer: FittedVectorizer; matrix: Csr } {
  validateParams(params);
  const counted = countNgrams(docs, params, onProgress);
  const kept = selectTerms(counted, params, docs.length);
  if (kept.length === 0) {
    throw new VectorizerParamsError(
      `no n-gram is left after min_df/max_df pruning of ${docs.length} documents: lower minDf or raise maxDf`,
    );
  }
  const vocabulary = Array.from(kept, (termId) => counted.terms[termId] as string);
  const idf = new Float64Array(kept.length);
  const columnOfTerm = new Int32Array(counted.terms.length).fill(-1);
  kept.forEach((termId, column) => {
    columnOfTerm[termId] = column;
    idf[column] = smoothIdf(docs.length, counted.df.get(termId));
  });
  const vectorizer: FittedVectorizer = { params: { ...params }, vocabulary, idf };
  const builder = new RowBuilder(vectorizer);
  const { docStart, entryTerm, entryCount } = counted;
  for (let doc = 0; doc < docs.length; doc++) {
    for (let entry = docStart.get(doc); entry < docStart.get(doc + 1); entry++) {
      const column = columnOfTerm[entryTerm.get(entry)] as number;
      if (column >= 0) builder.add(column, entryCount.get(entry));
    }
    builder.endRow();
  }
  onProgress?.({
    stage: "vectorize",
    message: `${docs.length} documents, ${vocabulary.length} features`,
    done: docs.length,
    total: docs.length,
  });
  return { vectorizer, matrix: builder.finish() };
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
  if (params.maxFeatures !== undefined && !(Number.isInteger(params.maxFeatures) && params.maxFeatures > 0)) {
    throw new VectorizerParamsError(`maxFeatures must be a positive integer, got ${params.maxFeatures}`);
  }
}

interface NgramCounts {
  /** Term id → n-gram, in order of first appearance. */
  terms: string[];
  df: GrowableInt32;
  /** Term id → occurrences in the whole corpus (the order of scikit-learn's max_features cap). */
  total: GrowableInt32;
  /** Each doc's distinct terms and their counts: entries docStart[d] .. docStart[d + 1] - 1. */
  docStart: GrowableInt32;
  entryTerm: GrowableInt32;
  entryCount: GrowableInt32;
}

function countNgrams(
  docs: readonly string[],
  params: VectorizerParams,
  onProgress?: OnProgress,
): NgramCounts {
  const idOf = new Map<string, number>();
  const counts: NgramCounts = {
    terms: [],
    df: new GrowableInt32(),
    total: new GrowableInt32(),
    docStart: new GrowableInt32(docs.length + 1),
    entryTerm: new GrowableInt32(),
    entryCount: new GrowableInt32(),
  };
  const docTerms = new GrowableInt32();
  counts.docStart.push(0);
  docs.forEach((doc, docIndex) => {
    docTerms.length = 0;
    forEachNgram(tokenize(doc), params.ngramRange, (ngram) => {
      let id = idOf.get(ngram);
      if (id === undefined) {
        id = counts.terms.length;
        idOf.set(ngram, id);
        counts.terms.push(ngram);
        counts.df.push(0);
        counts.total.push(0);
      }
      docTerms.push(id);
    });
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

const byTerm = (terms: readonly string[]) => (a: number, b: number) => {
  const ta = terms[a] as string;
  const tb = terms[b] as string;
  return ta < tb ? -1 : ta > tb ? 1 : 0;
};

/** Term ids kept by min_df / max_df (and the maxFeatures cap), in sorted n-gram order. */
function selectTerms(counts: NgramCounts, params: VectorizerParams, documents: number): number[] {
  const [minCount, maxCount] = documentCountBounds(params, documents);
  let kept: number[] = [];
  for (let id = 0; id < counts.terms.length; id++) {
    const df = counts.df.get(id);
    if (df >= minCount && df <= maxCount) kept.push(id);
  }
  kept.sort(byTerm(counts.terms));
  if (params.maxFeatures !== undefined && kept.length > params.maxFeatures) {
    // Stable sort: equal totals keep their n-gram order.
    kept = kept
      .slice()
      .sort((a, b) => counts.total.get(b) - counts.total.get(a))
      .slice(0, params.maxFeatures)
      .sort(byTerm(counts.terms));
  }
  return kept;
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
