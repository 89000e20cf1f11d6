import { describe, expect, test, vi } from "vitest";
import { errorMessage } from "@textcat/kit/errors";
import { captureStdout } from "./capture-stdout.js";

describe("errorMessage", () => {
  test.each([
    [new Error("boom"), "boom"],
    [new Error("first line\n   second line"), "first line second line"],
    [Object.assign(new Error(""), { name: "ImageNotFoundException" }), "ImageNotFoundException"],
    ["plain string", "plain string"],
    [{ code: 42 }, '{"code":42}'],
    [undefined, "undefined"],
    [null, "null"],
  ])("%s → %s", (error, expected) => {
    expect(errorMessage(error)).toBe(expected);
  });

  test("a value JSON cannot print still gives a message", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(errorMessage(cyclic)).toBe("[object Object]");
  });
});

describe("runAction", () => {
  test("a thrown error becomes one failed-step line and exit code 1", async () => {
    const { runAction } = await import("../src/run-action.js");
    const printed = captureStdout();
    await runAction(async () => {
      throw new Error('ECR repository "x" not found\nin eu-west-1');
    });
    vi.restoreAllMocks();
    expect(printed.filter((line) => line.startsWith("::error::"))).toEqual([
      '::error::ECR repository "x" not found in eu-west-1\n',
    ]);
    expect(process.exitCode).toBe(1);
    process.exitCode = undefined;
  });
});
