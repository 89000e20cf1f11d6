import type { Rule } from "eslint";

declare const plugin: { rules: Record<"relative-imports-stay-in-package", Rule.RuleModule> };
export default plugin;
