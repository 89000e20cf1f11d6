import { afterEach, describe, expect, test } from "vitest";
import { InputError } from "../src/errors.js";
import { readBoolean, readChoice, readList, readNumber, readString } from "../src/inputs.js";
import type { ActionEnv } from "./action-env.js";
import { setupActionEnv } from "./action-env.js";

let env: ActionEnv | undefined;
function withInputs(inputs: Record<string, string>): void {
  env = setupActionEnv(inputs);
}
afterEach(() => env?.restore());

describe("readString", () => {
  test.each([
    [{ name: "  padded  " }, {}, "padded"],
    [{ name: "" }, {}, ""],
    [{}, {}, ""],
  ])("inputs %j with %j → %j", (inputs, options, expected) => {
    withInputs(inputs);
    expect(readString("name", options)).toBe(expected);
  });

  test("a required input that is empty names the input", () => {
    withInputs({ "ecr-repository": "" });
    expect(() => readString("ecr-repository", { required: true })).toThrow(
      new InputError('Input "ecr-repository" is required'),
    );
  });
});

describe("readBoolean", () => {
  test.each([
    ["true", true],
    ["True", true],
    ["FALSE", false],
  ])("%j → %s", (value, expected) => {
    withInputs({ flag: value });
    expect(readBoolean("flag")).toBe(expected);
  });

  test.each(["yes", "1", "on", ""])("%j is rejected with the input's name", (value) => {
    withInputs({ flag: value });
    expect(() => readBoolean("flag")).toThrow(`Input "flag" must be true or false, got "${value}"`);
  });
});

describe("readNumber", () => {
  test.each([
    ["0.85", { min: 0, max: 1 }, 0.85],
    ["3", { integer: true, min: 1 }, 3],
    ["0", { min: 0, max: 1 }, 0],
  ])("%j with %j → %s", (value, rule, expected) => {
    withInputs({ "min-accuracy": value });
    expect(readNumber("min-accuracy", rule)).toBe(expected);
  });

  test.each([
    ["abc", { min: 0, max: 1 }, 'Input "min-accuracy" must be a number between 0 and 1, got "abc"'],
    ["1.5", { min: 0, max: 1 }, 'Input "min-accuracy" must be a number between 0 and 1, got "1.5"'],
    ["-1", { min: 0 }, 'Input "min-accuracy" must be a number ≥ 0, got "-1"'],
    ["2.5", { integer: true }, 'Input "min-accuracy" must be an integer, got "2.5"'],
    ["", {}, 'Input "min-accuracy" is required'],
  ])("%j with %j fails: %s", (value, rule, message) => {
    withInputs({ "min-accuracy": value });
    expect(() => readNumber("min-accuracy", rule)).toThrow(new InputError(message));
  });
});

describe("readList", () => {
  test.each([
    ["a\nb\n\n c ", ["a", "b", "c"]],
    ["a, b,c", ["a", "b", "c"]],
    ["", []],
  ])("%j → %j", (value, expected) => {
    withInputs({ paths: value });
    expect(readList("paths")).toEqual(expected);
  });
});

describe("readChoice", () => {
  test("accepts a listed value", () => {
    withInputs({ mode: "canary" });
    expect(readChoice("mode", ["all-at-once", "canary"])).toBe("canary");
  });

  test.each(["linear", ""])("rejects %j listing the choices", (value) => {
    withInputs({ mode: value });
    expect(() => readChoice("mode", ["all-at-once", "canary"])).toThrow(
      `Input "mode" must be one of all-at-once, canary, got "${value}"`,
    );
  });
});
