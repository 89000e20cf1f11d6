/**
 * Fails (exit 1) when a committed action bundle is not what the sources build today: rebuilds every
 * action into a temp dir and compares byte for byte with action-src/<name>/dist/index.js.
 *
 *   npm run check:dist
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ACTIONS_DIR, actionNames, buildAction, bundlePath } from "./build-actions.js";

export interface StaleBundle {
  name: string;
  reason: "missing" | "stale";
}

/** Compares each action's committed bundle with a fresh one. */
export function compareBundles(
  names: readonly string[],
  committedRoot: string,
  freshRoot: string,
): StaleBundle[] {
  const stale: StaleBundle[] = [];
  for (const name of names) {
    const committed = bundlePath(committedRoot, name);
    if (!existsSync(committed)) stale.push({ name, reason: "missing" });
    else if (!readFileSync(committed).equals(readFileSync(bundlePath(freshRoot, name)))) {
      stale.push({ name, reason: "stale" });
    }
  }
  return stale;
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), "check-dist-"));
  try {
    const names = actionNames();
    for (const name of names) await buildAction(name, scratch);
    const stale = compareBundles(names, ACTIONS_DIR, scratch);
    if (stale.length === 0) {
      console.log(`check:dist: all ${names.length} action bundles match their sources`);
      return;
    }
    for (const { name, reason } of stale)
      console.error(`check:dist: action-src/${name}/dist/index.js is ${reason}`);
    console.error("check:dist: run `npm run build:actions` and commit the dist/ folders");
    process.exitCode = 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main().catch((error: unknown) => {
    console.error(`check:dist: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
