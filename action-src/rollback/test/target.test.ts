import { describe, expect, test } from "vitest";
import { chooseRollbackTarget } from "../src/target.js";

const record = (previous?: string) => ({ digest: "sha256:x", previous, history: [] });

describe("chooseRollbackTarget", () => {
  test.each([
    ["the to-version input wins", { requested: "2", record: record("4") }, "2", "to-version input"],
    [
      "the previous version promote verified and recorded",
      { requested: "", record: record("4") },
      "4",
      "previous version promote verified and recorded",
    ],
  ])("%s", (_name, facts, version, reason) => {
    expect(chooseRollbackTarget({ current: "5", weights: {}, ...facts })).toEqual({ version, reason });
  });

  test("a canary left on the alias is stopped: all traffic back to the current version", () => {
    const target = chooseRollbackTarget({
      requested: "",
      current: "5",
      weights: { "6": 0.1 },
      record: record("4"),
    });
    expect(target).toEqual({
      version: "5",
      reason: "stop the canary left on the alias: all traffic back to the current version",
    });
  });

  // Without a record, a lower version may be one that failed promote's golden checks: never guessed.
  test.each([
    ["no record (an alias made by hand)", undefined],
    ["a record pointing at the current version", record("5")],
    ["a record with no previous version", record(undefined)],
  ])("%s: a clear error asking for to-version", (_name, aliasRecord) => {
    expect(() =>
      chooseRollbackTarget({ requested: "", current: "5", weights: {}, record: aliasRecord }),
    ).toThrow(
      "alias records no earlier version promote verified (only such a version is chosen): give to-version",
    );
  });
});
