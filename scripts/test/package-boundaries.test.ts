import { createRequire } from "node:module";
import { join } from "node:path";
import { RuleTester } from "eslint";
import { describe, expect, it } from "vitest";
import packageBoundaries from "../eslint-package-boundaries.mjs";

const repoRoot = join(import.meta.dirname, "../..");
const rule = packageBoundaries.rules["relative-imports-stay-in-package"];
// RuleTester declares one Vitest test per case through these hooks.
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

{
  const tester = new RuleTester({ languageOptions: { ecmaVersion: 2022, sourceType: "module" } });
  tester.run("relative-imports-stay-in-package", rule, {
    valid: [
      { code: 'import { x } from "./csv.js";', filename: join(repoRoot, "model/src/data/load-corpus.ts") },
      { code: 'import { x } from "@textcat/contract";', filename: join(repoRoot, "service/src/model.ts") },
    ],
    invalid: [
      {
        code: 'import { x } from "../contract/src/contract.js";',
        filename: join(repoRoot, "service/src/model.ts"),
        errors: [{ messageId: "crossing" }],
      },
      {
        code: 'import { x } from "../../src/model.js";',
        filename: join(repoRoot, "service/contract/src/index.ts"),
        errors: [{ messageId: "crossing" }],
      },
      {
        code: 'export * from "../../../service/src/app.js";',
        filename: join(repoRoot, "action-src/shared/src/index.ts"),
        errors: [{ messageId: "crossing" }],
      },
      {
        code: 'await import("../local-aws/src/server.js");',
        filename: join(repoRoot, "tools/pipeline-story/session.ts"),
        errors: [{ messageId: "crossing" }],
      },
    ],
  });
}

describe("a package's internals are not importable by its name", () => {
  const require = createRequire(join(repoRoot, "service/src/model.ts"));
  it("resolves what exports lists", () => {
    expect(require.resolve("@textcat/contract")).toBe(join(repoRoot, "service/contract/src/index.ts"));
  });
  it("refuses a path exports does not list", () => {
    expect(() => require.resolve("@textcat/model/src/learn/lbfgs.ts")).toThrow(
      expect.objectContaining({ code: "ERR_PACKAGE_PATH_NOT_EXPORTED" }),
    );
  });
});
