/**
 * ESLint rule: a relative import must stay inside the importing file's package (the nearest folder
 * with a package.json). Another package is imported by its name, through its `exports`, so its
 * internals cannot be reached (Node resolves only the subpaths `exports` lists).
 */
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const packageRoots = new Map();

function packageRootOf(dir) {
  const cached = packageRoots.get(dir);
  if (cached !== undefined) return cached;
  const parent = dirname(dir);
  const root = existsSync(join(dir, "package.json")) || parent === dir ? dir : packageRootOf(parent);
  packageRoots.set(dir, root);
  return root;
}

/** @type {import("eslint").Rule.RuleModule} */
const relativeImportsStayInPackage = {
  meta: {
    type: "problem",
    docs: { description: "relative imports stay inside their package; other packages by name" },
    schema: [],
    messages: {
      crossing: '"{{source}}" reaches into {{target}}: import that package by its name through its exports',
    },
  },
  create(context) {
    const fileDir = dirname(context.filename);
    const ownRoot = packageRootOf(fileDir);
    function check(node) {
      const source = node.source;
      if (!source || source.type !== "Literal" || typeof source.value !== "string") return;
      if (!source.value.startsWith(".")) return;
      const targetRoot = packageRootOf(dirname(resolve(fileDir, source.value)));
      if (targetRoot === ownRoot) return;
      context.report({
        node: source,
        messageId: "crossing",
        data: { source: source.value, target: relative(context.cwd, targetRoot) || "the root package" },
      });
    }
    return {
      ImportDeclaration: check,
      ExportAllDeclaration: check,
      ExportNamedDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default { rules: { "relative-imports-stay-in-package": relativeImportsStayInPackage } };
