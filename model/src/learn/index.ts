/** The learner: tokenizer, TF-IDF vectorizer, cross-validated multinomial logistic regression. */
export { tokenize, ngrams, forEachNgram } from "./tokenize.js";
export type { Csr } from "./csr.js";
export type { OnProgress, ProgressEvent } from "./progress.js";
export {
  fitVectorizer,
  chi2Scores,
  fitTransform,
  transform,
  smoothIdf,
  VectorizerParamsError,
} from "./vectorizer.js";
export {
  fitClassifier,
  ClassifierParamsError,
  type FitOptions,
  type CrossValidationResult,
  type FittedClassifierWithCv,
} from "./classifier.js";
export {
  fitPipeline,
  predictProba,
  encodeLabels,
  type FittedPipeline,
  type PipelineTimings,
  type Prediction,
} from "./pipeline.js";
export { CONFIGS, isConfigName, logspace, type ConfigName } from "./configs.js";
