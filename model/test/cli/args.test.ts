import { describe, expect, it } from "vitest";
import { UsageError } from "@textcat/kit/args";
import { parseTrainArgs } from "../../src/cli/args.js";

describe("parseTrainArgs", () => {
  it("reads every option", () => {
    expect(
      parseTrainArgs([
        "--data",
        "d.tar.gz",
        "--config",
        "seed",
        "--out",
        "o",
        "--test",
        "t.csv",
        "--check-data-only",
        "--quiet",
      ]),
    ).toEqual({
      data: "d.tar.gz",
      config: "seed",
      out: "o",
      test: "t.csv",
      checkDataOnly: true,
      quiet: true,
    });
  });

  it("defaults to the default config and the canonical download when --data is left out", () => {
    expect(parseTrainArgs(["--out", "o"])).toEqual({
      data: undefined,
      config: "default",
      out: "o",
      test: undefined,
      checkDataOnly: false,
      quiet: false,
    });
  });

  it("recognises --help", () => {
    expect(parseTrainArgs(["--help"])).toBe("help");
  });

  it.each([
    [["--out", "o", "--config", "huge"], /unknown config "huge"/],
    [["--data", "fixture"], /--out <dir> is required/],
    [["--out", "o", "--verbose"], /Unknown option '--verbose'/],
    [["--out", "o", "stray"], /Unexpected argument 'stray'/],
    [["--out"], /--out/],
    [["--out", "o", "--data", ""], /--data needs a path/],
  ])("rejects %j with a one-line UsageError", (argv, message) => {
    expect(() => parseTrainArgs(argv)).toThrow(UsageError);
    expect(() => parseTrainArgs(argv)).toThrow(message);
    expect(() => parseTrainArgs(argv)).toThrow(/^[^\n]*$/);
  });
});
