import eslint from "@eslint/js";
import vitest from "@vitest/eslint-plugin";
import tseslint from "typescript-eslint";
import packageBoundaries from "./scripts/eslint-package-boundaries.mjs";

export default tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "**/node_modules/**",
      "**/cdk.out/**",
      "**/.build/**",
      "coverage/**",
      ".stryker-tmp/**",
      "reports/**",
    ],
  },
  eslint.configs.recommended,
  // Rules that read the types: a promise nobody awaits, a promise where a value is expected, an await
  // of a non-promise, an assertion that changes nothing (https://typescript-eslint.io/users/configs#recommended-type-checked).
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { process: "readonly", console: "readonly", Buffer: "readonly" },
      // Types from tsconfig.json, set up as actions/typescript-action's eslint.config.mjs does
      // (https://typescript-eslint.io/getting-started/typed-linting). The JavaScript files tsconfig.json
      // does not include get TypeScript's default project: "Globs of files to allow running with the
      // default project compiler options despite not being matched by the project service", at most 8
      // files and no `**` (https://typescript-eslint.io/packages/parser#allowdefaultproject).
      parserOptions: {
        projectService: {
          allowDefaultProject: [
            "eslint.config.js",
            "scripts/*.mjs",
            "service/build/*.mjs",
            "service/infra/placeholder-image/*.mjs",
            "tools/local-aws/test/fixture/*.mjs",
          ],
          // Nine small scripts today. "The maximum number of files allowDefaultProject may match. Each
          // file match slows down linting", default 8 (@typescript-eslint/types ProjectServiceOptions,
          // https://typescript-eslint.io/packages/parser#allowdefaultproject).
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 12,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // A caught `unknown` passed on to reject() as it is keeps its identity; reject("text") is still refused.
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingUnknown: true }],
      // Not yet: every value read from JSON (HTTP bodies, action.yml, CloudFormation templates) is `any`
      // until a typed reader narrows it: 170 findings of these five rules.
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      // Off by choice: an `async` function without an await still turns a throw into a rejection, which
      // the stand-in's routes and the fakes of async interfaces rely on (73 such functions).
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    files: ["**/*.test.ts"],
    plugins: { vitest },
    rules: {
      ...vitest.configs.recommended.rules,
      // The project's own assertion helpers (expectClose, expectWellFormedPrediction, …) and aws-cdk-lib's
      // Template assertions ("a set of methods for writing assertions against CloudFormation templates",
      // https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.assertions-readme.html).
      "vitest/expect-expect": [
        "error",
        {
          assertFunctionNames: [
            "expect",
            "expect*",
            "**.hasResource",
            "**.hasResourceProperties",
            "**.resourceCountIs",
            "**.resourcePropertiesCountIs",
          ],
        },
      ],
      // Vitest's expect takes a message as its second argument: `<T>(actual: T, message?: string)` in
      // @vitest/expect's ExpectStatic.
      "vitest/valid-expect": ["error", { maxArgs: 2 }],
    },
  },
  {
    plugins: { packages: packageBoundaries },
    rules: { "packages/relative-imports-stay-in-package": "error" },
  },
);
