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
    [{}, { fallback: "default" }, "default"],
    [{ name: "" }, { fallback: "default" }, "default"],
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
    ["", true],
  ])("%j → %s (fallback true)", (value, expected) => {
    withInputs({ flag: value });
    expect(readBoolean("flag", true)).toBe(expected);
  });

  test.each(["yes", "1", "on"])("%j is rejected with the input's name", (value) => {
    withInputs({ flag: value });
    expect(() => readBoolean("flag", false)).toThrow(`Input "flag" must be true or false, got "${value}"`);
  });
});

describe("readNumber", () => {
  test.each([
    ["0.85", { min: 0, max: 1 }, 0.85],
    ["", { fallback: 0.5, min: 0, max: 1 }, 0.5],
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
    ["", ["fallback"]],
  ])("%j → %j", (value, expected) => {
    withInputs({ paths: value });
    expect(readList("paths", ["fallback"])).toEqual(expected);
  });
});

describe("readChoice", () => {
  test("accepts a listed value and falls back when empty", () => {
    withInputs({ mode: "canary" });
    expect(readChoice("mode", ["all-at-once", "canary"], "all-at-once")).toBe("canary");
    env?.restore();
    withInputs({});
    expect(readChoice("mode", ["all-at-once", "canary"], "all-at-once")).toBe("all-at-once");
  });

  test("rejects other values listing the choices", () => {
    withInputs({ mode: "linear" });
    expect(() => readChoice("mode", ["all-at-once", "canary"], "all-at-once")).toThrow(
      'Input "mode" must be one of all-at-once, canary, got "linear"',
    );
  });
});
