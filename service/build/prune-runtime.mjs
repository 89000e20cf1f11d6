// Reduces an `npm ci --omit=dev` node_modules to what the bundled handler loads at run time: the
// external packages and their dependency closure, with onnxruntime-node's binaries for linux/x64 only
// (the package ships every platform, ~290 MB).
// Usage: node service/build/prune-runtime.mjs <node_modules-dir>
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { EXTERNAL_PACKAGES } from "./bundle.mjs";

const ONNXRUNTIME_KEEP = "linux/x64";
// Used only by onnxruntime-node's install script (downloading CUDA binaries), never at run time.
const INSTALL_ONLY = new Set(["adm-zip", "global-agent"]);

function dependencyClosure(modulesDir, roots) {
  const keep = new Set();
  const pending = [...roots];
  while (pending.length > 0) {
    const name = pending.pop();
    if (keep.has(name) || INSTALL_ONLY.has(name)) continue;
    const manifest = join(modulesDir, name, "package.json");
    if (!existsSync(manifest)) throw new Error(`prune-runtime: ${name} is not installed in ${modulesDir}`);
    keep.add(name);
    const { dependencies = {} } = JSON.parse(readFileSync(manifest, "utf8"));
    pending.push(...Object.keys(dependencies));
  }
  return keep;
}

function installedPackages(modulesDir) {
  return readdirSync(modulesDir)
    .filter((entry) => !entry.startsWith("."))
    .flatMap((entry) =>
      entry.startsWith("@")
        ? readdirSync(join(modulesDir, entry)).map((name) => `${entry}/${name}`)
        : [entry],
    );
}

function stripOnnxruntimeBinaries(modulesDir) {
  const binDir = join(modulesDir, "onnxruntime-node", "bin", "napi-v6");
  for (const platform of readdirSync(binDir)) {
    for (const arch of readdirSync(join(binDir, platform))) {
      if (`${platform}/${arch}` !== ONNXRUNTIME_KEEP)
        rmSync(join(binDir, platform, arch), { recursive: true });
    }
    if (readdirSync(join(binDir, platform)).length === 0) rmSync(join(binDir, platform), { recursive: true });
  }
}

export function pruneRuntime(modulesDir) {
  const keep = dependencyClosure(modulesDir, EXTERNAL_PACKAGES);
  const removed = installedPackages(modulesDir).filter((name) => !keep.has(name));
  for (const name of removed) rmSync(join(modulesDir, name), { recursive: true });
  for (const scope of readdirSync(modulesDir).filter((entry) => entry.startsWith("@"))) {
    if (readdirSync(join(modulesDir, scope)).length === 0)
      rmSync(join(modulesDir, scope), { recursive: true });
  }
  rmSync(join(modulesDir, ".package-lock.json"), { force: true });
  stripOnnxruntimeBinaries(modulesDir);
  return { kept: [...keep].sort(), removed: removed.sort() };
}

const modulesDir = process.argv[2];
if (!modulesDir) {
  console.error("usage: node service/build/prune-runtime.mjs <node_modules-dir>");
  process.exit(2);
}
const { kept, removed } = pruneRuntime(modulesDir);
console.log(`prune-runtime: kept ${kept.join(", ")}; removed ${removed.length} packages`);
