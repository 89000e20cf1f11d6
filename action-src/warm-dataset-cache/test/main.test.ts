import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { CANONICAL_ARCHIVE } from "@textcat/model/data";
import type { ActionEnv } from "@textcat/action-shared/testing/action-env";
import { actionEnvFor } from "@textcat/action-shared/testing/action-env";
import { readActionYml } from "@textcat/action-shared/testing/action-yml";
import { captureStdout } from "@textcat/action-shared/testing/capture-stdout";
import { runBundle } from "@textcat/action-shared/testing/run-bundle";
import type { CacheApi } from "@textcat/action-train-and-commit/dataset-cache";
import { restoreDataset } from "@textcat/action-train-and-commit/dataset-cache";
import { run } from "../src/main.js";

const setupActionEnv = actionEnvFor("warm-dataset-cache");

/** An in-memory Actions cache: entries by key and path list, as the cache service matches them. */
function memoryCache(options: { saveResult?: number; available?: boolean } = {}) {
  const entries = new Map<string, string>();
  const id = (paths: string[], key: string) => `${key}|${paths.join(",")}`;
  const saved: Array<{ paths: string[]; key: string }> = [];
  const api: CacheApi = {
    isFeatureAvailable: () => options.available ?? true,
    restoreCache: async (paths, key) => {
      const content = entries.get(id(paths, key));
      if (content === undefined) return undefined;
      mkdirSync(paths[0]!, { recursive: true });
      writeFileSync(join(paths[0]!, CANONICAL_ARCHIVE.fileName), content);
      return key;
    },
    saveCache: async (paths, key) => {
      saved.push({ paths, key });
      if (options.saveResult === -1) return -1;
      entries.set(id(paths, key), readFileSync(join(paths[0]!, CANONICAL_ARCHIVE.fileName), "utf8"));
      return 1;
    },
  };
  return { api, saved };
}

let env: ActionEnv;
let workspace: string;
let previousCwd: string;
let printed: string[];
let downloads: string[];
const fakeDownload = async (cacheDir: string) => {
  downloads.push(cacheDir);
  mkdirSync(cacheDir, { recursive: true });
  const path = join(cacheDir, CANONICAL_ARCHIVE.fileName);
  writeFileSync(path, "the archive");
  return path;
};

beforeEach(() => {
  workspace = mkdtempSync(join(tmpdir(), "warm-cache-"));
  previousCwd = process.cwd();
  process.chdir(workspace);
  downloads = [];
  printed = captureStdout();
});
afterEach(() => {
  vi.restoreAllMocks();
  env.restore();
  process.chdir(previousCwd);
  rmSync(workspace, { recursive: true, force: true });
});

const KEY = `textcat-dataset-${CANONICAL_ARCHIVE.sha256}`;

describe("warm-dataset-cache run()", () => {
  test("a miss downloads the dataset and saves it under train-and-commit's key and folder", async () => {
    const cache = memoryCache();
    env = setupActionEnv({});
    await run({ cache: cache.api, ensureArchive: fakeDownload });
    const dir = resolve(workspace, ".cache/textcat");
    expect(downloads).toEqual([dir]);
    expect(cache.saved).toEqual([{ paths: [dir], key: KEY }]);
    expect(env.outputs()).toEqual({ "cache-hit": "false", saved: "true" });
    expect(process.exitCode ?? 0).toBe(0);

    // What a pull request's train-and-commit run then finds, with its own restore code.
    rmSync(dir, { recursive: true });
    expect(await restoreDataset(cache.api, dir, KEY)).toBe(true);
    expect(readFileSync(join(dir, CANONICAL_ARCHIVE.fileName), "utf8")).toBe("the archive");
  });

  test("a warm cache is left alone: nothing downloaded, nothing saved", async () => {
    const cache = memoryCache();
    env = setupActionEnv({});
    await run({ cache: cache.api, ensureArchive: fakeDownload });
    env.restore();
    rmSync(join(workspace, ".cache"), { recursive: true });
    downloads = [];
    cache.saved.length = 0;
    env = setupActionEnv({});
    await run({ cache: cache.api, ensureArchive: fakeDownload });
    expect(downloads).toEqual([]);
    expect(cache.saved).toEqual([]);
    expect(env.outputs()).toEqual({ "cache-hit": "true", saved: "false" });
  });

  test.each([
    [{ saveResult: -1 }, `the cache service did not save ${KEY} (its message is above)`],
    [{ available: false }, "the Actions cache service is not available to this run: nothing was warmed"],
  ])("a cache that cannot be warmed fails the step visibly (%j)", async (options, message) => {
    env = setupActionEnv({});
    await run({ cache: memoryCache(options).api, ensureArchive: fakeDownload });
    expect(printed.filter((line) => line.startsWith("::error::")).map((line) => line.trim())).toEqual([
      `::error::${message}`,
    ]);
    expect(process.exitCode).toBe(1);
  });
});

describe("warm-dataset-cache and train-and-commit agree", () => {
  test("same cache folder and the same dataset (hence the same key) by default", () => {
    const warm = readActionYml("warm-dataset-cache");
    const train = readActionYml("train-and-commit");
    expect(warm.inputs["cache-dir"]?.default).toBe(train.inputs["cache-dir"]?.default);
    expect(train.inputs["dataset-sha256"]?.default).toBe(CANONICAL_ARCHIVE.sha256);
  });

  test("the committed bundle runs and, with no cache service (no ACTIONS_RUNTIME_TOKEN), fails in one line", async () => {
    env = setupActionEnv({});
    const result = await runBundle("warm-dataset-cache", env);
    expect(result.errors).toEqual([
      "the Actions cache service is not available to this run: nothing was warmed",
    ]);
    expect(result.exitCode).toBe(1);
  });
});
