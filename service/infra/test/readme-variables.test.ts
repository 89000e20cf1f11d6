import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const workflowsDir = path.join(root, ".github/workflows");

/** Every `vars.NAME` the workflows (and the composite actions they call) read. */
function variablesRead(): Set<string> {
  const dirs = [
    workflowsDir,
    ...readdirSync(path.join(root, ".github/actions")).map((name) =>
      path.join(root, ".github/actions", name),
    ),
  ];
  const names = new Set<string>();
  for (const dir of dirs) {
    for (const file of readdirSync(dir).filter((name) => /\.ya?ml$/.test(name))) {
      for (const match of readFileSync(path.join(dir, file), "utf8").matchAll(/vars\.([A-Z0-9_]+)/g))
        names.add(match[1]!);
    }
  }
  return names;
}

/** The variables service/infra/README.md's table documents (first column, in backticks). */
function variablesDocumented(): Set<string> {
  const readme = readFileSync(path.join(root, "service/infra/README.md"), "utf8");
  return new Set([...readme.matchAll(/^\s*\| `([A-Z0-9_]+)` \|/gm)].map((match) => match[1]!));
}

describe("service/infra/README.md", () => {
  it("documents every repository variable the workflows read, and no other", () => {
    const read = variablesRead();
    expect(read.size).toBeGreaterThan(3);
    expect([...variablesDocumented()].sort()).toEqual([...read].sort());
  });
});
