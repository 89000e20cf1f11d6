/**
 * The stand-in serves exactly the REST operations the actions call: every
 * `client.rest.<scope>.<method>` in the actions' sources (action-src/<action>/src) names a served
 * operation (Octokit's method is the operationId in camelCase, e.g. repos.createCommitStatus =
 * repos/create-commit-status), and every served one is called.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { expect, test } from "vitest";
import { filesUnder } from "@textcat/kit/files";
import { SERVED_OPERATIONS } from "../src/github/description.js";

const ACTION_SRC = resolve(import.meta.dirname, "../../../action-src");

function calledOperations(): Set<string> {
  const called = new Set<string>();
  const sources = filesUnder(ACTION_SRC).filter((path) => /\/src\/.*\.ts$/.test(path));
  for (const path of sources) {
    for (const match of readFileSync(path, "utf8").matchAll(/\.rest\.(\w+)\.(\w+)/g)) {
      called.add(`${match[1]}/${match[2]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    }
  }
  return called;
}

test("served operations = the operations the actions call", () => {
  expect([...calledOperations()].sort()).toEqual([...SERVED_OPERATIONS].sort());
});
