/**
 * The unit tests Stryker runs against each mutant (stryker.config.json): only the suites that exercise
 * the mutated decision modules in-process. No Docker, registry, bundle or end-to-end suites: a bundle
 * test runs dist/, which a mutant of src/ never reaches, and the slow suites would multiply by every mutant.
 */
import { join } from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // Stryker's sandbox links node_modules to the original checkout, where @textcat/kit would resolve to
  // the unmutated files: point the kit's subpaths (one file each) at the sandbox's own copy.
  resolve: {
    alias: [
      { find: /^@textcat\/kit\/(\w+)$/, replacement: join(import.meta.dirname, "tools/kit/src/$1.ts") },
    ],
  },
  test: {
    include: [
      "action-src/train-and-commit/test/commit-plan.test.ts",
      "action-src/promote/test/pure.test.ts",
      "action-src/promote/test/canary.test.ts",
      "action-src/promote/test/provisioned.test.ts",
      "action-src/rollback/test/target.test.ts",
      "action-src/gate-check/test/decide.test.ts",
      "action-src/build-test-push/test/content-key.test.ts",
      "service/test/unit/request.test.ts",
      "service/test/unit/events.test.ts",
      "tools/local-aws/test/policy-eval.test.ts",
      "tools/local-aws/test/policy-conditions.test.ts",
      "tools/local-aws/test/permissions.test.ts",
      "tools/local-aws/test/github-permissions.test.ts",
      "tools/local-aws/test/github-permission-table.test.ts",
    ],
    exclude: ["**/node_modules/**", "**/dist/**", "**/cdk.out/**", ".stryker-tmp/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
