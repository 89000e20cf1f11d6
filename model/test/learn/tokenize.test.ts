import { describe, expect, it } from "vitest";
import { ngrams, tokenize } from "../../src/learn/index.js";

describe("tokenize", () => {
  it.each([
    ["The Cat sat.", ["the", "cat", "sat"]],
    ["a I x y", []],
    ["e-mail: foo_bar@host42.com", ["mail", "foo_bar", "host42", "com"]],
    ["Café ÉCOLE naïve", ["café", "école", "naïve"]],
    ["1993 x2 ²³", ["1993", "x2", "²³"]],
    ["", []],
  ])("%j → %j", (text, expected) => {
    expect(tokenize(text)).toEqual(expected);
  });
});

describe("ngrams", () => {
  const tokens = ["a1", "b2", "c3"];
  it("builds unigrams then bigrams joined by a space, as scikit-learn", () => {
    expect(ngrams(tokens, [1, 2])).toEqual(["a1", "b2", "c3", "a1 b2", "b2 c3"]);
  });
  it("builds only the requested lengths", () => {
    expect(ngrams(tokens, [2, 3])).toEqual(["a1 b2", "b2 c3", "a1 b2 c3"]);
    expect(ngrams(["a1"], [2, 2])).toEqual([]);
  });
});
