import { afterEach, describe, expect, test, vi } from "vitest";
import { fakeClock } from "../src/clock.js";
import { maskSecret } from "../src/mask.js";
import { aliasFailureSummary, writeJobSummary } from "../src/summary.js";
import { formatDuration, StepTimings } from "../src/timings.js";
import type { ActionEnv } from "./action-env.js";
import { setupActionEnv } from "./action-env.js";
import { captureStdout } from "./capture-stdout.js";

let env: ActionEnv | undefined;
afterEach(() => env?.restore());

describe("StepTimings", () => {
  test("records each step's duration and outcome with the given clock", async () => {
    const clock = fakeClock(1000);
    const timings = new StepTimings(clock);
    await timings.time("build", async () => clock.advance(1500));
    await expect(
      timings.time("test", async () => {
        clock.advance(200);
        throw new Error("tests failed");
      }),
    ).rejects.toThrow("tests failed");
    timings.skip("push");
    expect(timings.steps).toEqual([
      { step: "build", ms: 1500, outcome: "ok" },
      { step: "test", ms: 200, outcome: "failed" },
      { step: "push", ms: 0, outcome: "skipped" },
    ]);
    expect(timings.totalMs()).toBe(1700);
  });

  test.each([
    [850, "850 ms"],
    [1500, "1.5 s"],
    [185_000, "3 min 5 s"],
  ])("formatDuration(%d) = %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("writeJobSummary", () => {
  test("writes the facts, timings and markdown to GITHUB_STEP_SUMMARY", async () => {
    env = setupActionEnv({});
    await writeJobSummary({
      title: "build-test-push",
      facts: [["Digest", "sha256:abc"]],
      timings: [{ step: "build", ms: 1200, outcome: "ok" }],
      markdown: "extra **note**",
    });
    const written = env.summary();
    expect(written).toContain("<h2>build-test-push</h2>");
    expect(written).toContain("<td>Digest</td><td>sha256:abc</td>");
    expect(written).toContain("<td>build</td><td>1.2 s</td><td>ok</td>");
    expect(written).toContain("extra **note**");
  });

  test("outside a runner it does nothing and does not throw", async () => {
    env = setupActionEnv({});
    delete process.env.GITHUB_STEP_SUMMARY;
    await expect(writeJobSummary({ title: "t", facts: [] })).resolves.toBeUndefined();
  });
});

describe("maskSecret", () => {
  test("registers the secret and each of its lines with the runner", () => {
    const printed = captureStdout();
    maskSecret("line-one\nline-two");
    maskSecret("");
    vi.restoreAllMocks();
    expect(printed.filter((line) => line.startsWith("::add-mask::"))).toEqual([
      "::add-mask::line-one%0Aline-two\n",
      "::add-mask::line-one\n",
      "::add-mask::line-two\n",
    ]);
  });
});

describe("aliasFailureSummary", () => {
  const timings = [{ step: "update", ms: 5, outcome: "failed" as const }];

  test("names the alias first, then the error, then the facts after it", () => {
    const summary = aliasFailureSummary(
      "Promote failed",
      { functionName: "textcat", alias: "live" },
      "boom",
      timings,
      [["Alias", "left where it was"]],
    );
    expect(summary).toEqual({
      title: "Promote failed",
      facts: [
        ["Function", "textcat:live"],
        ["Error", "boom"],
        ["Alias", "left where it was"],
      ],
      timings,
    });
  });

  test("has only the error when the inputs could not be read", () => {
    expect(aliasFailureSummary("Rollback failed", undefined, "bad input", []).facts).toEqual([
      ["Error", "bad input"],
    ]);
  });
});
