/**
 * Fails (exit 1) when a committed action bundle is not what the sources build today: rebuilds every
 * action into a temp dir and compares byte for byte with action-src/<name>/dist/index.js.
 *
 *   npm run check:dist
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ACTIONS_DIR, actionNames, buildAction, bundlePath } from "./build-actions.js";

export interface StaleBundle {
  name: string;
  reason: "missing" | "differs";
}

export async function findStaleBundles(actionsDir = ACTIONS_DIR): Promise<StaleBundle[]> {
  const scratch = mkdtempSync(join(tmpdir(), "check-dist-"));
  try {
    const stale: StaleBundle[] = [];
    for (const name of actionNames(actionsDir)) {
      const committed = bundlePath(actionsDir, name);
      const fresh = await buildAction(name, scratch);
      if (!existsSync(committed)) stale.push({ name, reason: "missing" });
      else if (!readFileSync(committed).equals(readFileSync(fresh))) stale.push({ name, reason: "differs" });
    }
    return stale;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

try {
  const stale = await findStaleBundles();
  if (stale.length === 0) {
    console.log("check:dist: every action bundle matches its sources");
  } else {
    for (const { name, reason } of stale) {
      console.error(
        `check:dist: action-src/${name}/dist/index.js is ${reason === "missing" ? "missing" : "stale"}`,
      );
    }
    console.error("check:dist: run `npm run build:actions` and commit the dist/ folders");
    process.exitCode = 1;
  }
} catch (error) {
  console.error(`check:dist: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
