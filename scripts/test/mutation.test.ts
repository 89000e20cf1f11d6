import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { strykerSupportsNode } from "../mutation/node-support.js";
import { moduleScores, summaryMarkdown } from "../mutation/summary.js";
import { ROOT } from "./workflow-files.js";
import { exec } from "@textcat/kit/process";

describe("strykerSupportsNode", () => {
  test.each([
    ["v20.20.2", false],
    ["v22.17.1", false],
    ["v22.18.0", true],
    ["v22.23.5", true],
    ["v23.11.0", false],
    ["v24.10.0", false],
    ["v24.11.0", true],
    ["v25.0.0", true],
  ])("%s → %s", (version, expected) => expect(strykerSupportsNode(version)).toBe(expected));
});

describe("test:mutation on too old a Node", () => {
  test.skipIf(strykerSupportsNode(process.version))(
    "says what it needs in one line and exits 2",
    async () => {
      const run = await exec(process.execPath, ["--import", "tsx", join(ROOT, "scripts/test-mutation.ts")], {
        cwd: ROOT,
        quiet: true,
      });
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split("\n")).toEqual([
        `npm run test:mutation needs Node 22.18+ or 24.11+ (Stryker 10); this is ${process.version}`,
      ]);
    },
  );
});

describe("the score per module", () => {
  const report = {
    files: {
      "service/src/request.ts": {
        mutants: [
          ...Array(17).fill({ status: "Killed" }),
          { status: "Timeout" },
          { status: "Survived" },
          { status: "NoCoverage" },
          { status: "CompileError" },
          { status: "Ignored" },
        ],
      },
      "action-src/promote/src/canary.ts": { mutants: [{ status: "Killed" }] },
      "empty.ts": { mutants: [{ status: "Ignored" }] },
    },
  };

  test("counts Killed and Timeout as detected over the valid mutants, sorted by path", () => {
    expect(moduleScores(report)).toEqual([
      { path: "action-src/promote/src/canary.ts", killed: 1, survived: 0, noCoverage: 0, score: 100 },
      { path: "empty.ts", killed: 0, survived: 0, noCoverage: 0, score: undefined },
      { path: "service/src/request.ts", killed: 18, survived: 1, noCoverage: 1, score: 90 },
    ]);
  });

  test("is a Markdown table, one row per module", () => {
    expect(summaryMarkdown(moduleScores(report)).split("\n")).toEqual([
      "## Mutation score per module",
      "",
      "| Module | Score % | Killed | Survived | No coverage |",
      "| --- | ---: | ---: | ---: | ---: |",
      "| `action-src/promote/src/canary.ts` | 100.0 | 1 | 0 | 0 |",
      "| `empty.ts` | n/a | 0 | 0 | 0 |",
      "| `service/src/request.ts` | 90.0 | 18 | 1 | 1 |",
      "",
    ]);
  });
});
