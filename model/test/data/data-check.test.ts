import { describe, expect, it } from "vitest";
import {
  type DataCheckLimits,
  DataCheckError,
  assertDataPasses,
  dataChanges,
  dataCheckFailures,
  renderDataSummary,
  summarizeData,
} from "../../src/data/data-check.js";
import { DataError } from "../../src/data/errors.js";
import { dropHeaderBlock, nearDuplicateKey } from "../../src/data/near-duplicate.js";
import { DATA_CHECKS } from "../../src/learn/configs.js";
import type { Corpus, LabelledDoc } from "../../src/types.js";

const BODY = "the launch window for the new rocket opens on friday morning at dawn";
const post = (headers: string, body: string) => `${headers}\n\n${body}`;
const doc = (text: string, label: string): LabelledDoc => ({ text, label });
const corpus = (train: LabelledDoc[], test: LabelledDoc[]): Corpus => ({
  train,
  test,
  source: "generated",
  sha256: "d".repeat(64),
});
/** n distinct documents of a label, long enough to be compared for near-duplicates. */
const distinct = (label: string, n: number, from = 0) =>
  Array.from({ length: n }, (_, i) =>
    doc(`${label} document number ${from + i} says ${"word ".repeat(8)}`, label),
  );

const NO_LIMITS: DataCheckLimits = {
  maxEmptyDocs: 0,
  maxSharedExactShare: 0,
  maxSharedNearShare: 0,
  maxLabelsInOneSplit: 0,
};

describe("near-duplicate keys", () => {
  it("drop a leading header block, case, punctuation and spacing", () => {
    const a = post("From: a@example.com\nSubject: Launch\nLines: 3", BODY);
    const b = post(
      "From: b@example.org\nSubject: REPOST: launch\n  continued subject",
      `  ${BODY.toUpperCase()}!!\n`,
    );
    expect(nearDuplicateKey(a)).toBe(BODY);
    expect(nearDuplicateKey(b)).toBe(nearDuplicateKey(a));
  });

  it("keep text that only looks like a header", () => {
    expect(dropHeaderBlock("Note: the product is great\nand cheap\n\nreally")).toBe(
      "Note: the product is great\nand cheap\n\nreally",
    );
    expect(dropHeaderBlock("\nNote: x")).toBe("\nNote: x");
    expect(dropHeaderBlock("Subject: only headers")).toBe("Subject: only headers");
    expect(dropHeaderBlock("Subject: x\r\n\r\nbody")).toBe("body");
  });

  it("are undefined for bodies under 8 words", () => {
    expect(nearDuplicateKey(post("From: x", "thanks for the answer"))).toBeUndefined();
    expect(nearDuplicateKey("")).toBeUndefined();
    expect(nearDuplicateKey("one two three four five six seven eight")).toBe(
      "one two three four five six seven eight",
    );
  });
});

describe("summarizeData", () => {
  it("counts documents per label in each split, in label order", () => {
    const summary = summarizeData(corpus([...distinct("b", 3), ...distinct("a", 2)], distinct("a", 1, 9)));
    expect(summary.labels.a).toMatchObject({ train: 2, test: 1 });
    expect(summary.labels.b).toMatchObject({ train: 3, test: 0 });
    expect(Object.keys(summary.labels)).toEqual(["a", "b"]);
    expect([summary.train_docs, summary.test_docs]).toEqual([5, 1]);
    expect(summary.labels_only_in).toEqual({ train: ["b"], test: [] });
  });

  it("finds empty documents, exact and near-duplicate leakage, and cross-posted labels", () => {
    const repost = post("From: someone@example.com\nSubject: again", BODY);
    const summary = summarizeData(
      corpus(
        [
          doc(post("From: x@example.com", BODY), "sci.space"),
          doc(" \n\t", "sci.space"),
          ...distinct("rec", 2),
        ],
        [
          doc(repost, "sci.space"),
          doc(distinct("rec", 1)[0]!.text, "rec"),
          doc("", "rec"),
          doc(post("From: y", BODY), "misc.forsale"),
        ],
      ),
    );
    expect(summary.empty_docs).toEqual({ train: 1, test: 1 });
    expect(summary.shared_exact).toBe(1);
    expect(summary.shared_near).toBe(3);
    expect(summary.label_conflicts).toBe(1);
    expect(summary.labels_only_in).toEqual({ train: [], test: ["misc.forsale"] });
  });
});

describe("dataCheckFailures", () => {
  const summary = () =>
    summarizeData(
      corpus(
        [...distinct("a", 10), ...distinct("b", 10), doc("", "a")],
        [...distinct("a", 1, 0), ...distinct("b", 3, 20), doc(post("From: z", BODY), "c")],
      ),
    );

  it("names every crossed limit", () => {
    expect(dataCheckFailures(summary(), NO_LIMITS)).toEqual([
      "1 empty or whitespace-only documents (train 1, test 0; limit 0)",
      "1 test documents (20.00%) are also training documents (limit 0.00%)",
      "1 test documents (20.00%) are near-duplicates of training documents (limit 0.00%)",
      '1 labels in one split only (only in test: "c"; limit 0)',
    ]);
  });

  it("passes data within the limits, a limit being inclusive", () => {
    const limits = {
      maxEmptyDocs: 1,
      maxSharedExactShare: 0.2,
      maxSharedNearShare: 0.2,
      maxLabelsInOneSplit: 1,
    };
    expect(dataCheckFailures(summary(), limits)).toEqual([]);
    expect(dataCheckFailures(summary(), { ...limits, maxSharedNearShare: 0.19 })).toHaveLength(1);
  });

  it("throws one DataError line naming the config", () => {
    expect(() => assertDataPasses(summary(), NO_LIMITS, "default")).toThrow(DataCheckError);
    expect(() => assertDataPasses(summary(), NO_LIMITS, "default")).toThrow(DataError);
    expect(() => assertDataPasses(summary(), NO_LIMITS, "default")).toThrow(
      /^data check failed \(config default\): 1 empty .*; 1 labels in one split only .*\)$/,
    );
  });

  it("the shipped configs pass 20news-bydate's 10 reposts (0.13%) and fail its random split's 27 (0.36%)", () => {
    const reposts = {
      ...summary(),
      empty_docs: { train: 0, test: 0 },
      labels_only_in: { train: [], test: [] },
    };
    for (const limits of Object.values(DATA_CHECKS)) {
      expect(
        dataCheckFailures({ ...reposts, shared_exact: 0, shared_near: 10, test_docs: 7532 }, limits),
      ).toEqual([]);
      expect(
        dataCheckFailures({ ...reposts, shared_exact: 1, shared_near: 1, test_docs: 7532 }, limits),
      ).toHaveLength(1);
      expect(
        dataCheckFailures({ ...reposts, shared_exact: 0, shared_near: 27, test_docs: 7539 }, limits),
      ).toHaveLength(1);
    }
  });
});

describe("renderDataSummary", () => {
  it("prints a table of labels and one line per check", () => {
    const text = renderDataSummary(summarizeData(corpus(distinct("alpha", 3), distinct("alpha", 1, 7))));
    expect(text.split("\n")).toEqual([
      "data: 3 training and 1 test documents, 1 labels",
      "  label  train   test",
      "  alpha      3      1",
      "data: empty or whitespace-only documents: train 0, test 0",
      expect.stringMatching(
        /^data: test documents also in train: 0 exact, 0 near-duplicates \(same body of 8\+ words/,
      ),
      "data: near-duplicate groups with 2+ labels (cross-posts): 0",
      "data: labels only in train: none; only in test: none",
    ]);
  });
});

describe("dataChanges", () => {
  it("lists labels whose documents changed, with net counts per split", () => {
    const base = summarizeData(corpus([...distinct("a", 3), ...distinct("b", 3)], distinct("a", 1, 9)));
    const current = summarizeData(
      corpus([...distinct("a", 3), ...distinct("b", 2, 1), ...distinct("c", 2)], distinct("a", 1, 9)),
    );
    expect(dataChanges(current, base)).toEqual([
      { label: "b", train: -1, test: 0 },
      { label: "c", train: 2, test: 0 },
    ]);
    expect(dataChanges(base, base)).toEqual([]);
  });

  it("shows a label whose documents were replaced one for one", () => {
    const base = summarizeData(corpus(distinct("a", 3), distinct("a", 1, 9)));
    const current = summarizeData(corpus(distinct("a", 3, 100), distinct("a", 1, 9)));
    expect(dataChanges(current, base)).toEqual([{ label: "a", train: 0, test: 0 }]);
  });
});
