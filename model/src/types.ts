/** Types shared by the trainer's parts: data loading, learning, evaluation and ONNX export. */

export interface LabelledDoc {
  text: string;
  label: string;
}

export interface Corpus {
  train: LabelledDoc[];
  test: LabelledDoc[];
  /** Human-readable description of where the data came from (path, "fixture", …). */
  source: string;
  /** SHA-256 (hex) of the data as read: the archive's bytes, or a canonical digest of a folder/file. */
  sha256: string;
}

/**
 * The token pattern: maximal runs of 2+ word characters, i.e. what scikit-learn's `\b\w\w+\b` finds
 * with Python's Unicode `\w`. Written so that JavaScript (with the `u` flag) and onnxruntime's re2
 * (the com.microsoft Tokenizer's `tokenexp`) read it the same way.
 */
export const TOKEN_PATTERN = "[\\p{L}\\p{N}_]{2,}";

/** Separator between the tokens of an n-gram in a vocabulary entry (as scikit-learn does). */
export const NGRAM_SEPARATOR = " ";

export interface VectorizerParams {
  /** Inclusive range of n-gram lengths, e.g. [1, 2] for unigrams and bigrams. */
  ngramRange: [number, number];
  /** An integer is a document count; a number in (0, 1) a proportion of documents (as scikit-learn). */
  minDf: number;
  maxDf: number;
  sublinearTf: boolean;
  /** Optional cap on the vocabulary, by the selection the config names (none in `seed`). */
  maxFeatures?: number;
  /**
   * How maxFeatures picks n-grams: `frequency` (the default, scikit-learn's max_features: highest
   * corpus counts) or `chi2` (highest χ² with the training labels, scikit-learn's SelectKBest(chi2)).
   */
  selection?: "frequency" | "chi2";
}

export interface FittedVectorizer {
  params: VectorizerParams;
  /** Feature index → n-gram (tokens joined by NGRAM_SEPARATOR), lowercased. */
  vocabulary: string[];
  /** Smoothed idf per feature: ln((1 + n) / (1 + df)) + 1. */
  idf: Float64Array;
}

export interface FittedClassifier {
  labels: string[];
  /** Row-major [features × classes]. */
  coef: Float64Array;
  /** [classes]. */
  intercept: Float64Array;
  /** The regularisation strength chosen by cross-validation. */
  C: number;
}

export interface ClassifierParams {
  /** Grid of inverse regularisation strengths searched by cross-validation. */
  Cs: number[];
  folds: number;
  maxIter: number;
  tol: number;
}

export interface TrainConfig {
  name: string;
  vectorizer: VectorizerParams;
  classifier: ClassifierParams;
}
