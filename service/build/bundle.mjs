// Bundles the Lambda handler into one ESM file (fast cold start: one file to read, no module
// resolution). onnxruntime-node stays external: it loads native binaries from its own folder.
// Plain JavaScript so the image's build stage runs it with node alone.
// Usage: node service/build/bundle.mjs <out-dir>   (ESBUILD_PATH picks the esbuild module)
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const EXTERNAL_PACKAGES = ["onnxruntime-node"];

const serviceDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export async function bundle(outDir, esbuildModule = process.env.ESBUILD_PATH ?? "esbuild") {
  const esbuild = await import(esbuildModule);
  const outfile = join(outDir, "app.mjs");
  await esbuild.build({
    entryPoints: [join(serviceDir, "src/app.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22", // the Node major of .node-version (scripts/test/node-version.test.ts checks)
    external: EXTERNAL_PACKAGES,
    minifySyntax: true,
    legalComments: "none",
    logLevel: "warning",
    // A CommonJS dependency would call require(); give the ESM bundle one.
    banner: {
      js: "import { createRequire as __textcatCreateRequire } from 'node:module'; const require = __textcatCreateRequire(import.meta.url);",
    },
  });
  return outfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outDir = process.argv[2];
  if (!outDir) {
    console.error("usage: node service/build/bundle.mjs <out-dir>");
    process.exit(2);
  }
  console.log(await bundle(resolve(outDir)));
}
