import { describe, expect, it } from "vitest";
import { createProgress } from "../../src/cli/progress.js";

function stream(isTTY: boolean) {
  const lines: string[] = [];
  return { isTTY, lines, write: (text: string) => lines.push(text) };
}

describe("createProgress", () => {
  it("writes timestamped lines to a terminal", () => {
    const tty = stream(true);
    let clock = 1000;
    const progress = createProgress(tty, false, () => clock);
    clock = 3500;
    progress("fold 1/5");
    expect(tty.lines).toEqual(["[   2.5s] fold 1/5\n"]);
  });

  it.each([
    ["not a terminal", false, false],
    ["--quiet", true, true],
  ])("stays silent when %s", (_, isTTY, quiet) => {
    const target = stream(isTTY);
    createProgress(target, quiet)("fold 1/5");
    expect(target.lines).toEqual([]);
  });
});
