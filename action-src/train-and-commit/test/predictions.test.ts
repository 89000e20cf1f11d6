import { describe, expect, test } from "vitest";
import { parseGoldenExamples } from "@textcat/contract";
import type { ModelAnswer } from "../src/predictions.js";
import { verifyAnswers } from "../src/predictions.js";

const labels = ["cooking", "space"];
const golden = [
  { text: "bake in the oven", label: "cooking" },
  { text: "rocket to orbit", label: "space" },
];
const good: ModelAnswer = {
  labelType: "string",
  labelDims: [2],
  labels: ["cooking", "space"],
  probabilitiesType: "float32",
  probabilitiesDims: [2, 2],
  probabilities: Float32Array.from([0.9, 0.1, 0.2, 0.8]),
};

describe("verifyAnswers", () => {
  test("a contract-true, correct answer has no problems", () => {
    expect(verifyAnswers(labels, golden, good)).toEqual([]);
  });

  test.each([
    ["label dtype", { labelType: "int64" }, 'output "label" must be string [2], got int64 [2]'],
    [
      "probability shape",
      { probabilitiesDims: [2, 3] },
      'output "probabilities" must be float32 [2, 2], got float32 [2, 3]',
    ],
    [
      "probability dtype",
      { probabilitiesType: "float64" },
      'output "probabilities" must be float32 [2, 2], got float64 [2, 2]',
    ],
    [
      "wrong answer",
      { labels: ["cooking", "cooking"], probabilities: Float32Array.from([0.9, 0.1, 0.7, 0.3]) },
      '1 of 2 golden examples answered wrong: "rocket to orbit" → cooking (expected space)',
    ],
    [
      "rows not summing to 1",
      { probabilities: Float32Array.from([0.9, 0.5, 0.2, 0.8]) },
      "probabilities of example 0 sum to",
    ],
    [
      "label disagrees with probabilities",
      { probabilities: Float32Array.from([0.1, 0.9, 0.2, 0.8]) },
      'example 0: label "cooking" is not the most probable class "space"',
    ],
  ])("%s is reported", (_case, change, problem) => {
    const problems = verifyAnswers(labels, golden, { ...good, ...change });
    expect(problems.some((p) => p.startsWith(problem))).toBe(true);
  });

  test("golden labels the model lacks are named", () => {
    const problems = verifyAnswers(labels, [golden[0]!, { text: "goal", label: "sports" }], good);
    expect(problems).toContain("golden labels the model does not know: sports");
  });
});

/** The 20 labels of 20news-bydate (folder names of the archive). */
const NEWSGROUPS = [
  "alt.atheism",
  "comp.graphics",
  "comp.os.ms-windows.misc",
  "comp.sys.ibm.pc.hardware",
  "comp.sys.mac.hardware",
  "comp.windows.x",
  "misc.forsale",
  "rec.autos",
  "rec.motorcycles",
  "rec.sport.baseball",
  "rec.sport.hockey",
  "sci.crypt",
  "sci.electronics",
  "sci.med",
  "sci.space",
  "soc.religion.christian",
  "talk.politics.guns",
  "talk.politics.mideast",
  "talk.politics.misc",
  "talk.religion.misc",
];

describe("model/golden.json", () => {
  test("the shipped model/golden.json is valid", async () => {
    const { readFileSync } = await import("node:fs");
    const examples = parseGoldenExamples(readFileSync("model/golden.json", "utf8"), "model/golden.json");
    expect(examples.length).toBeGreaterThanOrEqual(10);
    const unknown = examples.map((e) => e.label).filter((label) => !NEWSGROUPS.includes(label));
    expect(unknown).toEqual([]);
  });
});
