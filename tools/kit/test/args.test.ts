import { describe, expect, test } from "vitest";
import { parseCommandLine, parseOptions, UsageError } from "../src/args.js";

const OPTIONS = {
  data: { type: "string", default: "fixture" },
  quiet: { type: "boolean", default: false },
  context: { type: "string", short: "c", multiple: true },
} as const;

describe("parseCommandLine", () => {
  test("reads strings, booleans, defaults, short and repeated options", () => {
    expect(parseCommandLine(["--quiet", "-c", "a=1", "--context", "b=2"], OPTIONS, "usage: x")).toEqual({
      data: "fixture",
      quiet: true,
      context: ["a=1", "b=2"],
    });
  });

  test.each([
    [["--fast"], /^Unknown option '--fast'/],
    [["--data"], /^Option '--data <value>' argument missing/],
    [["stray"], /^Unexpected argument 'stray'/],
  ])("refuses %j with one line ending in the hint, keeping parseArgs's error as cause", (argv, first) => {
    let caught: unknown;
    try {
      parseCommandLine(argv, OPTIONS, "usage: x [--data d]");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UsageError);
    const error = caught as UsageError;
    expect(error.message).toMatch(first);
    expect(error.message).toMatch(/ \(usage: x \[--data d\]\)$/);
    expect(error.message).not.toContain("\n");
    expect(error.cause).toBeInstanceOf(Error);
  });
});

describe("parseOptions", () => {
  test("string options only, named in the error", () => {
    expect(parseOptions(["--tag", "t:1"], ["tag", "model"])).toEqual({ tag: "t:1" });
    expect(() => parseOptions(["--quiet"], ["tag", "model"])).toThrow(
      /^Unknown option '--quiet'.* \(options: --tag, --model\)$/,
    );
  });

  test("an empty value is refused", () => {
    expect(() => parseOptions(["--tag="], ["tag"])).toThrow(new UsageError("--tag needs a value"));
  });
});
