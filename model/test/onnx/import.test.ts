import { describe, expect, it } from "vitest";
import { ModelContractError } from "@textcat/contract";
import { compareAnswers, parityHolds } from "../../src/cli/parity.js";
import { predictProba } from "../../src/learn/pipeline.js";
import { exportOnnx } from "../../src/onnx/export.js";
import { importOnnx } from "../../src/onnx/import.js";
import { loadOnnxModel, predictInBatches } from "../../src/onnx/run.js";
import {
  buildTinyModel,
  TINY_LABELS,
  TINY_METADATA,
  tinyClassifier,
  tinyVectorizer,
} from "../fixtures/tiny-model.js";

describe("importOnnx", () => {
  it("reads back the vocabulary, weights (as float32) and labels that exportOnnx wrote", () => {
    const { vectorizer, classifier, metadata } = importOnnx(buildTinyModel());
    const original = tinyVectorizer();
    expect(vectorizer.vocabulary).toEqual(original.vocabulary);
    expect(vectorizer.params.ngramRange).toEqual([1, 2]);
    expect(vectorizer.params.sublinearTf).toBe(true);
    expect(Array.from(vectorizer.idf)).toEqual(Array.from(Float32Array.from(original.idf)));
    expect(Array.from(classifier.coef)).toEqual(Array.from(tinyClassifier().coef));
    expect(classifier.labels).toEqual(TINY_LABELS);
    expect(metadata.configName).toBe(TINY_METADATA.configName);
  });

  it("sees whether sublinear tf was exported", () => {
    const vectorizer = tinyVectorizer();
    vectorizer.params.sublinearTf = false;
    const bytes = exportOnnx({ vectorizer, classifier: tinyClassifier(), metadata: TINY_METADATA });
    expect(importOnnx(bytes).vectorizer.params.sublinearTf).toBe(false);
  });

  it("lets the TypeScript pipeline answer like onnxruntime", async () => {
    const bytes = buildTinyModel();
    const { vectorizer, classifier } = importOnnx(bytes);
    const texts = [
      "bake in the oven",
      "ROCKET to the space station",
      "",
      "home run for the team, goal!",
      "crème brûlée",
    ];
    const onnx = await predictInBatches(await loadOnnxModel(bytes), texts, 2);
    const result = compareAnswers(predictProba(vectorizer, classifier, texts), onnx);
    expect(result.label_agreement).toBe(texts.length);
    expect(parityHolds(result, 1e-6)).toBe(true);
  });

  // Unigram features come from a table indexed by token id, longer n-grams from the key table: a model
  // may have either alone.
  it.each([
    ["unigrams only", [1, 1], (ngram: string) => !ngram.includes(" ")],
    ["bigrams only", [2, 2], (ngram: string) => ngram.includes(" ")],
  ] as const)("reads back and runs a model with %s", async (_, ngramRange, keep) => {
    const tiny = tinyVectorizer();
    const kept = tiny.vocabulary.flatMap((ngram, feature) => (keep(ngram) ? [feature] : []));
    const vectorizer = {
      params: { ...tiny.params, ngramRange: [...ngramRange] as [number, number] },
      vocabulary: kept.map((feature) => tiny.vocabulary[feature]!),
      idf: Float64Array.from(kept, (feature) => tiny.idf[feature]!),
    };
    const labels = TINY_LABELS.length;
    const classifier = {
      ...tinyClassifier(),
      coef: Float64Array.from(
        kept.flatMap((f) => Array.from(tinyClassifier().coef.subarray(f * labels, (f + 1) * labels))),
      ),
    };
    const bytes = exportOnnx({ vectorizer, classifier, metadata: TINY_METADATA });
    expect(importOnnx(bytes).vectorizer.vocabulary).toEqual(vectorizer.vocabulary);
    const texts = ["bake in the oven", "home run for the team", "the space station orbit", "nothing here"];
    const onnx = await predictInBatches(await loadOnnxModel(bytes), texts, 4);
    const result = compareAnswers(predictProba(vectorizer, classifier, texts), onnx);
    expect(result.label_agreement).toBe(texts.length);
    expect(parityHolds(result, 1e-6)).toBe(true);
  });

  it("rejects bytes that are not a model", () => {
    expect(() => importOnnx(new Uint8Array([1, 2, 3]))).toThrow(ModelContractError);
  });
});
