import { expect, test } from "vitest";
import { isKnownSchemaLag } from "../lint-workflows.js";

const finding = (line: number) => ({
  message: 'unexpected key "deployment" for "environment" section. expected one of "name", "url"',
  line,
  column: 7,
  kind: "syntax-check",
});

test("only `deployment: false` under an environment is let through; any other value still fails", () => {
  const source = "    environment:\n      name: production\n      deployment: false # one record\n";
  expect(isKnownSchemaLag(finding(3), source)).toBe(true);
  expect(isKnownSchemaLag(finding(3), source.replace("false", "nope"))).toBe(false);
  expect(isKnownSchemaLag({ ...finding(3), message: 'unexpected key "url2"' }, source)).toBe(false);
});
