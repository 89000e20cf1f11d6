import { describe, expect, it } from "vitest";
import { conditionsHold, PolicyGrammarError, type ContextValue } from "../src/iam/policy-eval.js";

/*
 * Each condition operator the evaluator supports, against
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * and https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html:
 * "If a single condition operator includes multiple values for a context key, those values are
 * evaluated using a logical OR." / "If a single negated matching condition operator includes multiple
 * values for a context key, those values are evaluated using a logical NOR."
 */
const KEY = "aws:SourceArn";
const holds = (operator: string, policy: string | string[] | boolean, value: ContextValue): boolean =>
  conditionsHold({ [operator]: { [KEY]: policy } }, { [KEY]: value });

describe("string operators", () => {
  it.each([
    // "StringEquals: Exact matching, case sensitive"
    ["StringEquals", ["a", "b"], "b", true],
    ["StringEquals", ["a", "b"], "c", false],
    ["StringEquals", "abc", "ABC", false],
    // "StringNotEquals: Negated matching" (NOR over the values)
    ["StringNotEquals", ["a", "b"], "c", true],
    ["StringNotEquals", ["a", "b"], "a", false],
    ["StringNotEquals", ["a", "b"], "b", false],
    ["StringNotEquals", "abc", "ABC", true],
    // "StringEqualsIgnoreCase: Exact matching, ignoring case"
    ["StringEqualsIgnoreCase", "ABC", "abc", true],
    ["StringEqualsIgnoreCase", "abc", "ABC", true],
    ["StringEqualsIgnoreCase", "abc", "abd", false],
    // "StringNotEqualsIgnoreCase: Negated matching, ignoring case"
    ["StringNotEqualsIgnoreCase", "Prod", "PROD", false],
    ["StringNotEqualsIgnoreCase", "prod", "Prod", false],
    ["StringNotEqualsIgnoreCase", "prod", "dev", true],
    // "StringLike: Case-sensitive matching. The values can include multi-character match wildcards (*)
    // and single-character match wildcards (?) anywhere in the string. You must specify wildcards to
    // achieve partial string matches."
    ["StringLike", "team-*", "team-a", true],
    ["StringLike", "t?am", "team", true],
    ["StringLike", "team-*", "Team-a", false],
    ["StringLike", "team", "team-a", false],
    // "StringNotLike: Negated case-sensitive matching."
    ["StringNotLike", ["team-*", "ops"], "dev", true],
    ["StringNotLike", ["team-*", "ops"], "team-x", false],
    ["StringNotLike", ["team-*", "ops"], "ops", false],
  ])("%s %j on %s → %s", (operator, policy, value, expected) => {
    expect(holds(operator, policy, value)).toBe(expected);
  });
});

describe("ARN operators", () => {
  const fn = "arn:aws:lambda:eu-west-1:123456789012:function:textcat-prod";
  // "ArnEquals, ArnLike: Case-sensitive matching of the ARN. ... each can include multi-character match
  // wildcards (*) or single-character match wildcards (?)." "ArnNotEquals, ArnNotLike: Negated matching for ARN."
  it.each([
    ["ArnEquals", `${fn}:*`, `${fn}:live`, true],
    ["ArnEquals", fn, fn.toUpperCase(), false],
    ["ArnEquals", `${fn}:?`, `${fn}:7`, true],
    ["ArnLike", `${fn}:*`, `${fn}:live`, true],
    ["ArnLike", `${fn}:*`, fn, false],
    ["ArnLike", fn, fn.toUpperCase(), false],
    ["ArnNotEquals", `${fn}:*`, `${fn}:live`, false],
    ["ArnNotEquals", `${fn}:*`, fn, true],
    ["ArnNotLike", [fn, `${fn}:*`], `${fn}:7`, false],
    ["ArnNotLike", [fn, `${fn}:*`], fn, false],
    ["ArnNotLike", [fn, `${fn}:*`], `${fn}x`, true],
    // "Each of the six colon-delimited components of the ARN is checked separately": a wildcard does
    // not span segments, every segment must be present, and a value that is no ARN matches nothing.
    ["ArnLike", "arn:aws:lambda:*:123456789012:function:textcat-prod", fn, true],
    ["ArnLike", "arn:aws:lambda:*:function:textcat-prod", fn, false],
    ["ArnLike", "arn:*:textcat-prod", fn, false],
    ["ArnLike", "arn:aws:lambda:eu-west-?:*:function:*", fn, true],
    ["ArnLike", "arn:aws:lambda:eu-west-?:*:function:*", "arn:aws:lambda:eu-west-10:1:function:f", false],
    ["ArnLike", "*", fn, false],
    // The sixth component is the whole resource, colons and all.
    ["ArnLike", "arn:aws:lambda:eu-west-1:123456789012:function:*", `${fn}:live`, true],
    ["ArnLike", "arn:aws:lambda:*:*:textcat-prod", fn, false],
    ["ArnLike", "arn:aws:lambda:*:*:*", "arn:aws:lambda:eu-west-1:1", false],
    ["ArnNotLike", "arn:*:textcat-prod", fn, true],
    ["ArnEquals", "arn:aws:iam::*:role/*", "arn:aws:iam::123456789012:role/push", true],
    ["ArnEquals", "arn:aws:iam::*:role/*", "arn:aws:iam::123456789012:user/push", false],
  ])("%s %j on %s → %s", (operator, policy, value, expected) => {
    expect(holds(operator, policy, value)).toBe(expected);
  });
});

describe("Bool", () => {
  // "Boolean conditions let you construct Condition elements that restrict access based on comparing a
  // key to true or false." The stack writes JSON booleans as well as the strings "true"/"false".
  it.each([
    ["true", "true", true],
    ["false", "true", false],
    ["false", "false", true],
    [true, "true", true],
    [false, "true", false],
  ])("Bool %j on %s → %s", (policy, value, expected) => {
    expect(holds("Bool", policy, value)).toBe(expected);
  });
});

describe("a key missing from the request", () => {
  // "If the key that you specify in a policy condition is not present in the request context, the
  // values do not match and the condition is false. If the policy condition requires that the key is
  // not matched, such as StringNotLike or ArnNotLike, and the right key is not present, the condition
  // is true. This logic applies to all condition operators except ...IfExists and Null check."
  const negated = [
    "StringNotEquals",
    "StringNotEqualsIgnoreCase",
    "StringNotLike",
    "ArnNotEquals",
    "ArnNotLike",
  ];
  const positive = ["StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike", "Bool"];
  it.each([...negated.map((op) => [op, true] as const), ...positive.map((op) => [op, false] as const)])(
    "%s with the key absent → %s, with an empty list too",
    (operator, expected) => {
      expect(holds(operator, "x", undefined)).toBe(expected);
      expect(holds(operator, "x", [])).toBe(expected);
      expect(conditionsHold({ [operator]: { [KEY]: "x" } }, {})).toBe(expected);
    },
  );

  // "...IfExists ... If the policy key is present in the context of the request, process the key as
  // specified in the policy. If the key is not present, evaluate the condition element as true."
  it.each([...negated, ...positive])(
    "%sIfExists: true when absent, the bare operator when present",
    (operator) => {
      expect(holds(`${operator}IfExists`, "x", undefined)).toBe(true);
      expect(holds(`${operator}IfExists`, "x", [])).toBe(true);
      expect(holds(`${operator}IfExists`, "x", "y")).toBe(holds(operator, "x", "y"));
      expect(holds(`${operator}IfExists`, "x", "x")).toBe(holds(operator, "x", "x"));
    },
  );

  it("IfExists wins over the set operator's rule for no values", () => {
    expect(holds("ForAnyValue:StringEqualsIfExists", "x", [])).toBe(true);
    expect(holds("ForAnyValue:StringEqualsIfExists", "x", ["y"])).toBe(false);
    expect(holds("ForAllValues:StringEqualsIfExists", "x", ["x", "y"])).toBe(false);
  });
});

describe("set operators on multi-valued keys", () => {
  // "ForAllValues – ... returns true if every context key value in the request matches at least one
  // context key value in the policy. It also returns true if there are no context keys in the request."
  // "ForAnyValue – ... returns true if any one of the context key values in the request matches any
  // one of the context key values in the policy. ... returns false if there are no context keys."
  it.each([
    ["ForAllValues:StringEquals", ["a", "b"], ["a", "b"], true],
    ["ForAllValues:StringEquals", ["a", "b"], ["a", "c"], false],
    ["ForAllValues:StringEquals", ["a"], undefined, true],
    ["ForAnyValue:StringEquals", ["a"], ["c", "a"], true],
    ["ForAnyValue:StringEquals", ["a"], ["c", "d"], false],
    ["ForAnyValue:StringEquals", ["a"], undefined, false],
    ["ForAnyValue:StringNotEquals", ["a"], undefined, false],
    ["ForAllValues:StringNotEquals", ["a"], [], true],
    // Negated operators under a set operator: each request value is tested against the NOR.
    ["ForAllValues:StringNotEquals", ["a"], ["b", "c"], true],
    ["ForAllValues:StringNotEquals", ["a"], ["b", "a"], false],
    ["ForAnyValue:StringNotEquals", ["a"], ["a", "b"], true],
    ["ForAnyValue:StringNotEquals", ["a"], ["a"], false],
    ["ForAnyValue:StringLike", ["team-*"], ["x", "team-a"], true],
  ])("%s %j on %j → %s", (operator, policy, value, expected) => {
    expect(holds(operator, policy, value)).toBe(expected);
  });

  it("a single value in a list needs no set operator; several are refused without one", () => {
    expect(holds("StringEquals", "a", ["a"])).toBe(true);
    expect(holds("StringNotEquals", "a", ["a"])).toBe(false);
    expect(() => holds("StringEquals", "a", ["a", "b"])).toThrow(
      new PolicyGrammarError("StringEquals on a multi-valued key needs ForAnyValue: or ForAllValues:"),
    );
  });
});

describe("blocks, keys and grammar", () => {
  it("every operator and every key must hold (logical AND)", () => {
    const context = { "aws:SourceArn": "a", "aws:SourceAccount": "1" };
    expect(
      conditionsHold({ StringEquals: { "aws:SourceArn": "a", "aws:SourceAccount": "1" } }, context),
    ).toBe(true);
    expect(
      conditionsHold({ StringEquals: { "aws:SourceArn": "a", "aws:SourceAccount": "2" } }, context),
    ).toBe(false);
    expect(
      conditionsHold({ StringEquals: { "aws:SourceArn": "b", "aws:SourceAccount": "1" } }, context),
    ).toBe(false);
    expect(
      conditionsHold(
        { StringEquals: { "aws:SourceArn": "a" }, StringLike: { "aws:SourceAccount": "2*" } },
        context,
      ),
    ).toBe(false);
    expect(
      conditionsHold(
        { StringEquals: { "aws:SourceArn": "b" }, StringLike: { "aws:SourceAccount": "1*" } },
        context,
      ),
    ).toBe(false);
    expect(conditionsHold({}, context)).toBe(true);
  });

  it("refuses operators and qualifiers it does not implement, naming them", () => {
    expect(() => holds("NumericEquals", "1", "1")).toThrow(
      new PolicyGrammarError("condition operator NumericEquals is not supported here"),
    );
    expect(() => holds("ForSomeValues:StringEquals", "1", "1")).toThrow(
      new PolicyGrammarError("condition operator ForSomeValues:StringEquals is not supported here"),
    );
    expect(() => holds("Null", "true", undefined)).toThrow(PolicyGrammarError);
    expect(() => holds("IfExists", "x", undefined)).toThrow(PolicyGrammarError);
  });
});
