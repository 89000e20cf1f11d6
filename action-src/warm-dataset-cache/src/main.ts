/**
 * Warms the dataset cache from the default branch. Caches are scoped: a run restores only caches
 * made on its own branch (a pull request: its merge ref) or on the default or base branch
 * (https://docs.github.com/en/actions/reference/workflows-and-actions/dependency-caching#restrictions-for-accessing-a-cache),
 * so a cache saved by a pull request helps that pull request alone, and each new one downloads the
 * dataset again. Saved from main, under train-and-commit's own key and path, every PR restores it.
 */
import * as core from "@actions/core";
import { resolve } from "node:path";
import { CANONICAL_ARCHIVE, ensureCanonicalArchive } from "@textcat/model/data";
import { ActionError } from "@textcat/action-shared/errors";
import { readString } from "@textcat/action-shared/inputs";
import { runAction } from "@textcat/action-shared/run-action";
import type { CacheApi } from "@textcat/action-train-and-commit/dataset-cache";
import {
  actionsCache,
  datasetCacheKey,
  restoreDataset,
} from "@textcat/action-train-and-commit/dataset-cache";

export interface Deps {
  cache: CacheApi;
  /** Downloads and verifies the archive into the folder (or verifies the copy already there). */
  ensureArchive: (cacheDir: string) => Promise<string>;
}

const defaultDeps: Deps = {
  cache: actionsCache,
  ensureArchive: (cacheDir) =>
    ensureCanonicalArchive({ ...CANONICAL_ARCHIVE, cacheDir, onProgress: (message) => core.info(message) }),
};

export async function run(overrides: Partial<Deps> = {}): Promise<void> {
  await runAction(async () => {
    const deps = { ...defaultDeps, ...overrides };
    const cacheDir = resolve(readString("cache-dir"));
    const key = datasetCacheKey(CANONICAL_ARCHIVE.sha256);
    if (!deps.cache.isFeatureAvailable()) {
      throw new ActionError("the Actions cache service is not available to this run: nothing was warmed");
    }
    const hit = await restoreDataset(deps.cache, cacheDir, key);
    core.setOutput("cache-hit", String(hit));
    if (hit) {
      core.setOutput("saved", "false");
      core.info(`Dataset cache ${key} is already warm`);
      return;
    }
    await deps.ensureArchive(cacheDir);
    const id = await deps.cache.saveCache([cacheDir], key);
    if (id === -1) {
      throw new ActionError(`the cache service did not save ${key} (its message is above)`);
    }
    core.setOutput("saved", "true");
    core.info(`Dataset cache: saved ${key}; pull requests restore it instead of downloading`);
  });
}
