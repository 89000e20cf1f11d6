import { describe, expect, test, vi } from "vitest";
import { chooseRollbackTarget, highestVersionBelow } from "../src/target.js";

const record = (previous?: string) => ({ digest: "sha256:x", previous, history: [] });

describe("chooseRollbackTarget", () => {
  test.each([
    ["the to-version input wins", { requested: "2", record: record("4") }, "2", "to-version input"],
    [
      "the previous version promote recorded",
      { requested: "", record: record("4") },
      "4",
      "previous version recorded by promote",
    ],
    [
      "without a record: the highest published version below",
      { requested: "", record: undefined },
      "3",
      "highest published version below 5",
    ],
    [
      "a record pointing at the current version is no help",
      { requested: "", record: record("5") },
      "3",
      "highest published version below 5",
    ],
  ])("%s", async (_name, facts, version, reason) => {
    const listVersions = vi.fn(async () => ["$LATEST", "1", "3", "5", "6"]);
    const target = await chooseRollbackTarget({ current: "5", weights: {}, listVersions, ...facts });
    expect(target).toEqual({ version, reason });
    expect(listVersions).toHaveBeenCalledTimes(reason.startsWith("highest") ? 1 : 0);
  });

  test("a canary left on the alias is stopped: all traffic back to the current version", async () => {
    const target = await chooseRollbackTarget({
      requested: "",
      current: "5",
      weights: { "6": 0.1 },
      record: record("4"),
      listVersions: async () => [],
    });
    expect(target.version).toBe("5");
  });

  test("no older version is a clear error", async () => {
    await expect(
      chooseRollbackTarget({
        requested: "",
        current: "1",
        weights: {},
        record: undefined,
        listVersions: async () => ["$LATEST", "1"],
      }),
    ).rejects.toThrow("no published version below 1 to roll back to; give to-version");
  });
});

test.each([
  [["$LATEST", "1", "2", "10", "11"], "11", "10"],
  [["$LATEST", "9", "10"], "10", "9"],
  [["$LATEST", "3"], "3", undefined],
])("highestVersionBelow(%j, %s) compares numbers, not strings", (versions, current, expected) => {
  expect(highestVersionBelow(versions, current)).toBe(expected);
});
