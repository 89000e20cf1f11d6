import { describe, expect, test } from "vitest";
import { parsePushDigest } from "../src/docker.js";

const digest = "sha256:" + "ab".repeat(32);

describe("parsePushDigest", () => {
  test.each([
    [
      `The push refers to repository [1.dkr.ecr/x]\nabc: Pushed\nck-1: digest: ${digest} size: 1789\n`,
      digest,
    ],
    [`layer: digest: sha256:${"00".repeat(32)} size: 1\nck-1: digest: ${digest} size: 2`, digest],
    ["error pushing", undefined],
    ["digest: sha256:short size: 1", undefined],
  ])("%j → %s", (output, expected) => {
    expect(parsePushDigest(output)).toBe(expected);
  });
});
