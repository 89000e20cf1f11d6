import { beforeAll, describe, expect, it } from "vitest";
import type { InferenceSession } from "onnxruntime-node";
import {
  ModelContractError,
  ONNX_INPUT,
  ONNX_OUTPUTS,
  METADATA_KEYS,
  readMetadataProps,
  readModelMetadata,
} from "@textcat/contract";
import { exportOnnx, OnnxExportError } from "../../src/onnx/export.js";
import { onnx } from "../../src/onnx/proto.js";
import { ngramKeys, vocabularyFromKeys } from "../../src/onnx/sparse-graph.js";
import { ROW_SEPARATOR } from "../../src/onnx/token-join.js";
import { loadOnnxModel, predictWithOnnx } from "../../src/onnx/run.js";
import {
  buildTinyModel,
  TINY_INTERCEPT,
  TINY_LABELS,
  TINY_METADATA,
  TINY_WEIGHT,
  tinyClassifier,
  tinyVectorizer,
} from "../fixtures/tiny-model.js";

function softmax(logits: number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((l) => Math.exp(l - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

function row(probabilities: Float32Array, index: number): number[] {
  const classes = TINY_LABELS.length;
  return Array.from(probabilities.subarray(index * classes, (index + 1) * classes));
}

describe("exportOnnx", () => {
  let session: InferenceSession;
  beforeAll(async () => {
    session = await loadOnnxModel(buildTinyModel());
  });

  it("declares the contract's input and outputs", () => {
    expect(session.inputNames).toEqual([ONNX_INPUT.name]);
    expect([...session.outputNames].sort()).toEqual(
      [ONNX_OUTPUTS.label.name, ONNX_OUTPUTS.probabilities.name].sort(),
    );
  });

  it("returns string labels [N] and float32 probabilities [N, C] that sum to 1", async () => {
    const texts = ["Bake it in the OVEN", "NASA rocket to the space station", "the home run team"];
    const { labels, probabilities } = await predictWithOnnx(session, texts);
    expect(labels).toEqual(["cooking", "space", "sports"]);
    expect(probabilities).toBeInstanceOf(Float32Array);
    expect(probabilities.length).toBe(texts.length * TINY_LABELS.length);
    texts.forEach((_, i) => expect(row(probabilities, i).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5));
  });

  it("computes softmax(coef · l2(tfidf) + intercept): one known word has unit weight", async () => {
    const { probabilities } = await predictWithOnnx(session, ["goal!"]);
    const expected = softmax(
      TINY_INTERCEPT.map((b, j) => b + (TINY_LABELS[j] === "sports" ? TINY_WEIGHT : 0)),
    );
    row(probabilities, 0).forEach((p, j) => expect(p).toBeCloseTo(expected[j]!, 6));
  });

  it("applies sublinear tf, idf and L2 normalisation across words", async () => {
    // oven (idf 1.0) once and rocket (idf 1.3) e times: tf 1 and 1 + ln(e) = 2
    const vocabulary = tinyVectorizer().vocabulary;
    const idfOven = 1 + vocabulary.indexOf("oven") / 10;
    const idfRocket = 1 + vocabulary.indexOf("rocket") / 10;
    const { probabilities } = await predictWithOnnx(session, [
      "oven rocket rocket rocket rocket rocket rocket rocket",
    ]);
    const oven = idfOven * 1;
    const rocket = idfRocket * (1 + Math.log(7));
    const norm = Math.hypot(oven, rocket);
    const logits = [
      TINY_INTERCEPT[0]! + (TINY_WEIGHT * oven) / norm,
      TINY_INTERCEPT[1]! + (TINY_WEIGHT * rocket) / norm,
      TINY_INTERCEPT[2]!,
    ];
    const expected = softmax(logits);
    row(probabilities, 0).forEach((p, j) => expect(p).toBeCloseTo(expected[j]!, 5));
  });

  it("gives the intercept-only answer for empty text and text with no known word", async () => {
    const { labels, probabilities } = await predictWithOnnx(session, ["", "nothing known here", "a"]);
    const expected = softmax(TINY_INTERCEPT);
    expect(labels).toEqual(["cooking", "cooking", "cooking"]);
    for (let i = 0; i < 3; i++)
      row(probabilities, i).forEach((p, j) => expect(p).toBeCloseTo(expected[j]!, 6));
  });

  it("lowercases and tokenizes unicode text", async () => {
    const { labels } = await predictWithOnnx(session, ["CRÈME BRÛLÉE tonight", "РАКЕТА!", "日本語 ракета"]);
    expect(labels).toEqual(["cooking", "space", "space"]);
  });

  it("handles a batch mixing very long and short texts", async () => {
    const long = "filler words ".repeat(50_000) + "orbit";
    const { labels } = await predictWithOnnx(session, [long, "team", ""]);
    expect(labels).toEqual(["space", "sports", "cooking"]);
  });

  it("counts bigrams only for adjacent tokens", async () => {
    const { labels } = await predictWithOnnx(session, ["home and run"]);
    expect(labels).toEqual(["cooking"]);
  });

  it("never forms an n-gram across two texts of a batch", async () => {
    const { labels } = await predictWithOnnx(session, ["at home", "run later", "home run"]);
    expect(labels).toEqual(["cooking", "cooking", "sports"]);
  });

  it("keeps rows apart when a text holds the row separator's word", async () => {
    const texts = [`home ${ROW_SEPARATOR} run`, `${ROW_SEPARATOR} ${ROW_SEPARATOR}`, "home run", "oven"];
    const { labels } = await predictWithOnnx(session, texts);
    expect(labels).toEqual(["cooking", "cooking", "sports", "cooking"]);
    const alone = await Promise.all(texts.map((text) => predictWithOnnx(session, [text])));
    const { probabilities } = await predictWithOnnx(session, texts);
    alone.forEach((one, i) => expect(row(probabilities, i)).toEqual(Array.from(one.probabilities)));
  });

  it("answers a batch larger than one joined text (128 rows) as each text alone", async () => {
    const words = ["oven", "rocket", "home run", "", "team orbit orbit", "home", "run"];
    const texts = Array.from({ length: 300 }, (_, i) => `${words[i % words.length]} ${"x".repeat(i % 5)}`);
    const { labels, probabilities } = await predictWithOnnx(session, texts);
    const alone = await Promise.all(texts.map((text) => predictWithOnnx(session, [text])));
    expect(labels).toEqual(alone.map((one) => one.labels[0]));
    alone.forEach((one, i) => expect(row(probabilities, i)).toEqual(Array.from(one.probabilities)));
  });

  it("declares the IR version of the ONNX release that brought its opset", () => {
    // "1.14.0 | 9 | 19", "1.15.0 | 9 | 20", "1.16.0 | 10 | 21" (https://onnx.ai/onnx/repo-docs/Versioning.html)
    const irOfOpset: Record<number, number> = { 19: 9, 20: 9, 21: 10 };
    const model = onnx.ModelProto.decode(buildTinyModel());
    const opset = Number(model.opsetImport.find((o) => o.domain === "")?.version);
    expect(Number(model.irVersion)).toBe(irOfOpset[opset]);
  });

  it("writes every metadata key and round-trips it through readModelMetadata", () => {
    const bytes = buildTinyModel();
    expect(Object.keys(readMetadataProps(bytes)).sort()).toEqual(Object.values(METADATA_KEYS).sort());
    expect(readModelMetadata(bytes)).toEqual({ ...TINY_METADATA, labels: TINY_LABELS });
  });

  it("reads the metadata onnx-proto decodes, with fields of every wire type around it", () => {
    const model = onnx.ModelProto.decode(buildTinyModel());
    // int64 (varint), string, and an entry whose value holds multi-byte UTF-8
    model.modelVersion = 2 ** 40;
    model.docString = "x".repeat(300);
    model.metadataProps.push({ key: "extra", value: "straße 日本語" });
    const bytes = onnx.ModelProto.encode(model).finish();
    const expected = Object.fromEntries(
      onnx.ModelProto.decode(bytes).metadataProps.map((p) => [p.key, p.value]),
    );
    expect(readMetadataProps(bytes)).toEqual(expected);
    expect(readMetadataProps(bytes).extra).toBe("straße 日本語");
  });

  it("refuses a truncated or malformed ONNX file with a contract error", () => {
    const bytes = buildTinyModel();
    expect(() => readMetadataProps(bytes.subarray(0, bytes.length - 5))).toThrow(ModelContractError);
    expect(() => readMetadataProps(Buffer.from("this is not a model"))).toThrow(/not a readable ONNX model/);
    expect(() => readMetadataProps(Buffer.alloc(11, 0xff))).toThrow(/invalid varint/);
  });

  it("is byte-identical across exports of the same model", () => {
    expect(Buffer.from(buildTinyModel()).equals(Buffer.from(buildTinyModel()))).toBe(true);
  });

  it("changes bytes when a weight changes", () => {
    const classifier = tinyClassifier();
    classifier.coef[0] = 1.5;
    const changed = exportOnnx({ vectorizer: tinyVectorizer(), classifier, metadata: TINY_METADATA });
    expect(Buffer.from(changed).equals(Buffer.from(buildTinyModel()))).toBe(false);
  });
});

describe("ngramKeys", () => {
  it("gives every n-gram a distinct integer key over token ids and decodes back", () => {
    const vectorizer = {
      ...tinyVectorizer(),
      params: { ...tinyVectorizer().params, ngramRange: [1, 3] as [number, number] },
      vocabulary: ["b c", "a", "d e", "b", "a b c"],
    };
    const { tokens, keys, base } = ngramKeys(vectorizer);
    expect(tokens).toEqual(["b", "c", "a", "d", "e"]);
    expect(base).toBe(6);
    // unigram = token id; bigram = (t1 + 1)·base + t2; trigram = ((t1 + 1)·base + t2 + 1)·base + t3
    expect(keys).toEqual([1 * 6 + 1, 2, 4 * 6 + 4, 0, ((2 + 1) * 6 + 0 + 1) * 6 + 1]);
    expect(new Set(keys).size).toBe(keys.length);
    expect(vocabularyFromKeys(tokens, keys, base)).toEqual(vectorizer.vocabulary);
  });
});

describe("exportOnnx input checks", () => {
  const vocabularyWith = (first: string, second: string) => {
    const vectorizer = tinyVectorizer();
    return { vectorizer: { ...vectorizer, vocabulary: [first, second, ...vectorizer.vocabulary.slice(2)] } };
  };
  it.each([
    ["coef of the wrong size", { classifier: { ...tinyClassifier(), coef: new Float64Array(3) } }, /coef/],
    ["idf of the wrong size", { vectorizer: { ...tinyVectorizer(), idf: new Float64Array(1) } }, /idf/],
    ["duplicate n-grams", vocabularyWith("same", "same"), /duplicate/],
    ["a trigram outside ngramRange", vocabularyWith("a b c", "b"), /ngramRange/],
    ["the row separator as a token", vocabularyWith(`home ${ROW_SEPARATOR}`, "b"), /row separator/],
    ["a single label", { classifier: { ...tinyClassifier(), labels: ["only"] } }, /2 labels/],
  ])("rejects %s", (_, override, message) => {
    const input = {
      vectorizer: tinyVectorizer(),
      classifier: tinyClassifier(),
      metadata: TINY_METADATA,
      ...override,
    };
    expect(() => exportOnnx(input)).toThrow(OnnxExportError);
    expect(() => exportOnnx(input)).toThrow(message);
  });
});
