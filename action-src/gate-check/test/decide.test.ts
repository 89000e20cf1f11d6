import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { CommitStatusView } from "@textcat/action-shared/gate-record";
import { artifactsSha256, gatePassedDescription, gatePassedHash } from "@textcat/action-shared/gate-record";
import { decideDeploy, decideRetrain } from "../src/decide.js";

const HASH = "a".repeat(64);
const OTHER = "b".repeat(64);
const pass = (hash: string, login = "github-actions[bot]"): CommitStatusView => ({
  context: "textcat/quality-gate",
  state: "success",
  description: gatePassedDescription(0.86, 0.85, hash),
  creator: { login },
});

describe("the gate's record", () => {
  test("fits GitHub's 140-character description and names the hash", () => {
    const description = gatePassedDescription(0.8607, 0.8556, HASH);
    expect(description.length).toBeLessThanOrEqual(140);
    expect(gatePassedHash(pass(HASH))).toBe(HASH);
  });

  test.each<[string, CommitStatusView]>([
    ["a status a person set (anyone with write access can)", pass(HASH, "mallory")],
    ["a failed gate", { ...pass(HASH), state: "failure" }],
    ["another context", { ...pass(HASH), context: "textcat/image" }],
    ["no hash (the old description)", { ...pass(HASH), description: "accuracy 0.9: gate passed" }],
  ])("%s counts for nothing", (_case, status) => {
    expect(gatePassedHash(status)).toBeUndefined();
  });

  test("the artifacts hash covers every file's path and bytes", () => {
    const dir = mkdtempSync(join(tmpdir(), "artifacts-"));
    try {
      mkdirSync(join(dir, "sub"));
      writeFileSync(join(dir, "model.onnx"), "m");
      writeFileSync(join(dir, "sub", "metrics.json"), "{}");
      const first = artifactsSha256(dir);
      expect(first).toMatch(/^[0-9a-f]{64}$/);
      writeFileSync(join(dir, "sub", "metrics.json"), '{"accuracy":1}');
      expect(artifactsSha256(dir)).not.toBe(first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("decideRetrain", () => {
  test("nothing under model/ changed: no retrain", () => {
    expect(
      decideRetrain({ modelChangedSinceBase: false, artifactsSha256: HASH, sameModelCommits: [] }),
    ).toEqual({ retrain: false, reason: "nothing under model/ changed" });
  });

  test("the pipeline's gate passed exactly these artifacts on a commit with the same model/: no retrain", () => {
    const decision = decideRetrain({
      modelChangedSinceBase: true,
      artifactsSha256: HASH,
      sameModelCommits: [
        { sha: "2".repeat(40), statuses: [] },
        { sha: "1".repeat(40), statuses: [pass(HASH)] },
      ],
    });
    expect(decision).toEqual({
      retrain: false,
      reason: "the quality gate passed these artifacts at 111111111111 and model/ is unchanged since",
    });
  });

  test.each<[string, CommitStatusView[]]>([
    ["artifacts edited by hand after the gate (another hash)", [pass(OTHER)]],
    ["a commit authored as github-actions[bot] but no pipeline status", []],
    ["a gate status set by a person", [pass(HASH, "mallory")]],
  ])("%s: retrain", (_case, statuses) => {
    const decision = decideRetrain({
      modelChangedSinceBase: true,
      artifactsSha256: HASH,
      sameModelCommits: [{ sha: "1".repeat(40), statuses }],
    });
    expect(decision).toEqual({
      retrain: true,
      reason: "model/ changed and no quality-gate pass by the pipeline names these artifacts",
    });
  });
});

describe("decideDeploy", () => {
  test("approved only for the hash a pipeline gate status names", () => {
    const commits = [{ sha: "1".repeat(40), statuses: [pass(HASH)] }];
    expect(decideDeploy(HASH, commits)).toEqual({ approved: true, judgedAt: "1".repeat(40) });
    const refused = decideDeploy(OTHER, commits);
    expect(refused.approved).toBe(false);
    expect(refused).toMatchObject({
      reason: expect.stringContaining(`(sha256 ${OTHER.slice(0, 12)}) were never passed by the quality gate`),
    });
    expect(refused).toMatchObject({ reason: expect.stringContaining("the alias was not touched") });
  });
});

describe("decideDeploy's refusal says where it looked", () => {
  test.each([
    [[], "no commit to look at"],
    [
      [{ sha: "1".repeat(40), statuses: [pass(OTHER)] }],
      "1 commit(s) of the pull request that last changed them",
    ],
    [
      [
        { sha: "1".repeat(40), statuses: [] },
        { sha: "2".repeat(40), statuses: [pass(OTHER)] },
      ],
      "2 commit(s) of the pull request that last changed them",
    ],
  ])("%j", (commits, where) => {
    expect(decideDeploy(HASH, commits)).toEqual({
      approved: false,
      reason:
        `the model artifacts (sha256 ${HASH.slice(0, 12)}) were never passed by the quality gate ` +
        `(no textcat/quality-gate status by the pipeline names them; looked at ${where}): ` +
        "retrain them in a pull request from this repository; the alias was not touched",
    });
  });
});
