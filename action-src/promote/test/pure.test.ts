import { describe, expect, test } from "vitest";
import { decodeCanaryState, encodeCanaryState, planRestore } from "../src/canary-guard.js";
import { canaryVerdict, missingAlarms } from "../src/canary.js";
import { decidePromote, planCanary, versionDescription } from "../src/decide.js";
import { contentKeyTag, parsePinnedImageUri, repositoryOfImageUri } from "../src/image-ref.js";

const A = `sha256:${"a".repeat(64)}`;
const B = `sha256:${"b".repeat(64)}`;
const alias = (weights: Record<string, number> = {}) => ({
  version: "3",
  description: "",
  revisionId: "r",
  weights,
});

describe("decidePromote", () => {
  test.each([
    ["no alias yet: first deploy", undefined, "", A, { kind: "deploy" }],
    ["alias serves the digest: nothing to do", alias(), A, A, { kind: "already-serving", version: "3" }],
    ["alias serves another digest", alias(), B, A, { kind: "deploy" }],
    ["alias stuck mid-canary on the digest: deploy again", alias({ "4": 0.1 }), A, A, { kind: "deploy" }],
  ])("%s", (_name, current, aliasDigest, target, expected) => {
    expect(decidePromote(current, aliasDigest, target)).toEqual(expected);
  });
});

describe("planCanary", () => {
  test.each([
    [0, 5, "3", { kind: "none" }],
    [
      10,
      5,
      undefined,
      { kind: "none", reason: "first deploy: there is no old version to share traffic with" },
    ],
    [
      10,
      5,
      "$LATEST",
      {
        kind: "none",
        reason: "the alias points to $LATEST; Lambda splits traffic only between published versions",
      },
    ],
    [-5, 5, "3", { kind: "none" }],
    [10, -1, "3", { kind: "none", reason: "canary-minutes is 0" }],
    [100, 1, "3", { kind: "canary", weight: 1, durationMs: 60_000 }],
    [10, 0, "3", { kind: "none", reason: "canary-minutes is 0" }],
    [10, 5, "3", { kind: "canary", weight: 0.1, durationMs: 300_000 }],
    [25, 0.5, "3", { kind: "canary", weight: 0.25, durationMs: 30_000 }],
  ])("weight %s%% for %s min, alias on %s", (weight, minutes, aliasVersion, expected) => {
    expect(planCanary(weight, minutes, aliasVersion)).toEqual(expected);
  });
});

describe("canaryVerdict", () => {
  const ok = { name: "errors", state: "OK" };
  const quiet = { name: "latency", state: "INSUFFICIENT_DATA" };
  const firing = { name: "errors", state: "ALARM" };
  test.each([
    ["alarms OK, time left", [ok, quiet], 1_000, { kind: "wait" }],
    ["alarms OK, time up", [ok, quiet], 60_000, { kind: "promote" }],
    ["no alarms watched, time up", [], 60_000, { kind: "promote" }],
    ["an alarm fires", [firing, quiet], 1_000, { kind: "abort", firing: ["errors"] }],
    ["an alarm fires on the last poll", [firing], 60_000, { kind: "abort", firing: ["errors"] }],
  ])("%s", (_name, alarms, elapsed, expected) => {
    expect(canaryVerdict(alarms, elapsed, 60_000)).toEqual(expected);
  });

  test("missingAlarms names the alarms CloudWatch does not know", () => {
    expect(missingAlarms(["a", "b", "c"], [{ name: "b", state: "OK" }])).toEqual(["a", "c"]);
  });
});

describe("image references", () => {
  test("a pinned URI splits into repository and digest, a registry port included", () => {
    expect(parsePinnedImageUri(`127.0.0.1:5000/textcat@${A}`, "image-uri")).toEqual({
      repositoryUri: "127.0.0.1:5000/textcat",
      digest: A,
    });
  });

  test.each([`repo:latest`, `repo@sha256:abc`, `@${A}`, `my repo@${A}`])("refuses %s", (uri) => {
    expect(() => parsePinnedImageUri(uri, "image-uri")).toThrow(/image-uri/);
  });

  test.each([
    ["1.dkr.ecr.eu-west-1.amazonaws.com/textcat:v1", "1.dkr.ecr.eu-west-1.amazonaws.com/textcat"],
    [`1.dkr.ecr.eu-west-1.amazonaws.com/textcat@${A}`, "1.dkr.ecr.eu-west-1.amazonaws.com/textcat"],
    ["127.0.0.1:5000/team/textcat", "127.0.0.1:5000/team/textcat"],
    ["127.0.0.1:5000/textcat:ck-1", "127.0.0.1:5000/textcat"],
  ])("repository of %s", (uri, repository) => {
    expect(repositoryOfImageUri(uri)).toBe(repository);
  });

  test("content keys become ck- tags, with or without the prefix", () => {
    expect(contentKeyTag("3f2a", "content-key")).toBe("ck-3f2a");
    expect(contentKeyTag("ck-3f2a", "content-key")).toBe("ck-3f2a");
    expect(() => contentKeyTag("a/b", "content-key")).toThrow(/content-key/);
  });
});

test("the version description records digest, commit and model within Lambda's 256 characters", () => {
  const text = versionDescription(A, "f".repeat(40), "e".repeat(64));
  expect(JSON.parse(text)).toEqual({ digest: A, git: "f".repeat(40), model: "e".repeat(64) });
  expect(text.length).toBeLessThanOrEqual(256);
});

describe("the canary guard's plan", () => {
  const alias = (weights: Record<string, number>) => ({
    version: "3",
    description: "",
    revisionId: "r",
    weights,
  });
  const state = { functionName: "textcat", alias: "live", canaryVersion: "4" };

  test("restores only this job's canary version, if it still has a share", () => {
    expect(planRestore(state, alias({ "4": 0.1 }))).toEqual({ kind: "restore", canaryVersion: "4" });
    expect(planRestore(state, alias({})).kind).toBe("nothing");
    expect(planRestore(state, alias({ "5": 0.1 })).kind).toBe("nothing");
    expect(planRestore(undefined, alias({ "4": 0.1 })).kind).toBe("nothing");
  });

  test("a state main did not write restores nothing", () => {
    expect(decodeCanaryState("")).toBeUndefined();
    expect(decodeCanaryState("{not json")).toBeUndefined();
    expect(decodeCanaryState(encodeCanaryState(state))).toEqual(state);
  });
});
