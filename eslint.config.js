import eslint from "@eslint/js";
import tseslint from "typescript-eslint";
import packageBoundaries from "./scripts/eslint/package-boundaries.js";

export default tseslint.config(
  {
    ignores: ["**/dist/**", "**/node_modules/**", "**/cdk.out/**", "**/.build/**", "coverage/**"],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: "readonly", console: "readonly", Buffer: "readonly" },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    plugins: { packages: packageBoundaries },
    rules: { "packages/relative-imports-stay-in-package": "error" },
  },
);
