/**
 * Caches the trainer's dataset download between runs with actions/cache, keyed by the archive's
 * SHA-256: a changed archive can never be served from an old cache. Cache trouble never fails the
 * run — the trainer just downloads (and verifies) again.
 */
import * as cache from "@actions/cache";
import * as core from "@actions/core";
import { readdirSync } from "node:fs";
import { errorMessage } from "@textcat/kit/errors";

export interface CacheApi {
  isFeatureAvailable(): boolean;
  restoreCache(paths: string[], primaryKey: string): Promise<string | undefined>;
  saveCache(paths: string[], key: string): Promise<number>;
}

export const actionsCache: CacheApi = {
  isFeatureAvailable: () => cache.isFeatureAvailable(),
  restoreCache: (paths, key) => cache.restoreCache(paths, key),
  saveCache: (paths, key) => cache.saveCache(paths, key),
};

export function datasetCacheKey(sha256: string): string {
  return `textcat-dataset-${sha256}`;
}

/** Returns true on an exact cache hit. */
export async function restoreDataset(api: CacheApi, dir: string, key: string): Promise<boolean> {
  if (!api.isFeatureAvailable()) {
    core.info("Dataset cache: actions/cache is not available here, skipped");
    return false;
  }
  try {
    const hit = await api.restoreCache([dir], key);
    core.info(hit ? `Dataset cache: restored ${key}` : `Dataset cache: no entry for ${key}`);
    return hit === key;
  } catch (error) {
    core.warning(`Dataset cache not restored: ${errorMessage(error)}`);
    return false;
  }
}

/** Saves the cache directory when the trainer put something in it. */
export async function saveDataset(api: CacheApi, dir: string, key: string): Promise<void> {
  if (!api.isFeatureAvailable() || isEmptyDir(dir)) return;
  try {
    await api.saveCache([dir], key);
    core.info(`Dataset cache: saved ${key}`);
  } catch (error) {
    core.info(`Dataset cache not saved: ${errorMessage(error)}`);
  }
}

function isEmptyDir(dir: string): boolean {
  try {
    return readdirSync(dir).length === 0;
  } catch {
    return true;
  }
}
