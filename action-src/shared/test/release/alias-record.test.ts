import { describe, expect, test } from "vitest";
import {
  ALIAS_DESCRIPTION_MAX,
  decodeAliasRecord,
  encodeAliasRecord,
  recordAfterPromote,
  recordAfterRollback,
} from "../../src/release/alias-record.js";

const DIGEST = `sha256:${"a".repeat(64)}`;
const OTHER = `sha256:${"b".repeat(64)}`;

describe("alias record", () => {
  test("round-trips through the alias description", () => {
    const record = { digest: DIGEST, previous: "4", history: ["3", "2"] };
    expect(decodeAliasRecord(encodeAliasRecord(record))).toEqual(record);
  });

  test.each([
    ["no description", undefined],
    ["free text", "managed by hand"],
    ["JSON that is not an object", "42"],
  ])("%s has no record", (_name, description) => {
    expect(decodeAliasRecord(description)).toBeUndefined();
  });

  test("ignores versions that are not published version numbers", () => {
    const record = decodeAliasRecord(
      JSON.stringify({ digest: DIGEST, previous: "$LATEST", history: ["3", "x", 2] }),
    );
    expect(record).toEqual({ digest: DIGEST, previous: undefined, history: ["3"] });
  });

  test("drops the oldest history to fit Lambda's description limit", () => {
    const history = Array.from({ length: 60 }, (_, i) => String(1000 - i));
    const text = encodeAliasRecord({ digest: DIGEST, previous: "1001", history });
    expect(text.length).toBeLessThanOrEqual(ALIAS_DESCRIPTION_MAX);
    const decoded = decodeAliasRecord(text);
    expect(decoded?.previous).toBe("1001");
    expect(decoded?.history[0]).toBe("1000");
    expect(decoded!.history.length).toBeLessThan(60);
  });
});

describe("recordAfterPromote / recordAfterRollback", () => {
  test("a first deploy records no previous version", () => {
    expect(recordAfterPromote(undefined, undefined, DIGEST)).toEqual({
      digest: DIGEST,
      previous: undefined,
      history: [],
    });
  });

  test("promote pushes the old version onto the history", () => {
    const before = { digest: OTHER, previous: "3", history: ["2", "1"] };
    expect(recordAfterPromote(before, "4", DIGEST)).toEqual({
      digest: DIGEST,
      previous: "4",
      history: ["3", "2", "1"],
    });
  });

  test("rolling back to the recorded previous version pops it, so a second rollback goes further back", () => {
    const afterPromote = { digest: DIGEST, previous: "4", history: ["3", "2"] };
    const first = recordAfterRollback(afterPromote, "5", "4", OTHER);
    expect(first).toEqual({ digest: OTHER, previous: "3", history: ["2"] });
    const second = recordAfterRollback(first, "4", "3", DIGEST);
    expect(second).toEqual({ digest: DIGEST, previous: "2", history: [] });
  });

  test("rolling back to another version records the current one as previous", () => {
    const before = { digest: DIGEST, previous: "4", history: ["3"] };
    expect(recordAfterRollback(before, "5", "2", OTHER)).toEqual({
      digest: OTHER,
      previous: "5",
      history: ["4", "3"],
    });
  });
});

describe("only verified versions are kept for rollback", () => {
  const before = { digest: "sha256:4", previous: "3", history: ["2"] };

  test("the version leaving the alias counts when the record describes what it served", () => {
    expect(recordAfterPromote(before, "4", "sha256:5", "sha256:4")).toEqual({
      digest: "sha256:5",
      previous: "4",
      history: ["3", "2"],
    });
  });

  test("a version put on the alias by hand (another digest, or no record) is not kept", () => {
    expect(recordAfterPromote(before, "9", "sha256:5", "sha256:9")).toEqual({
      digest: "sha256:5",
      previous: "3",
      history: ["2"],
    });
    expect(recordAfterPromote(undefined, "9", "sha256:5", "sha256:9").previous).toBeUndefined();
  });
});
