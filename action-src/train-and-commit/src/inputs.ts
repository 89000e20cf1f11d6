import { isAbsolute } from "node:path";
import { InputError } from "@textcat/action-shared/errors";
import { readBoolean, readNumber, readString } from "@textcat/action-shared/inputs";
import { DEFAULT_DATASET_CACHE_DIR } from "./dataset-cache.js";

/** The canonical 20news-bydate archive (figshare file 5975967). */
export const CANONICAL_DATASET_SHA256 = "8f1b2514ca22a5ade8fbb9cfa5727df95fa587f4c87b786e15c759fa66d95610";

/** The action's inputs, named as in action.yml; defaults mirror action.yml. */
export interface Inputs {
  trainCommand: string;
  artifactsDir: string;
  minAccuracy: number;
  maxAccuracyDrop: number;
  /** Path of the golden examples file; "" = no golden check (input "none"). */
  goldenExamples: string;
  /** "" = the pull request's base commit, else origin/main. */
  baseRef: string;
  githubToken: string;
  /** Token the artifacts commit is pushed with ("" = githubToken), e.g. a GitHub App's. */
  pushToken: string;
  commitMessage: string;
  push: boolean;
  cacheDir: string;
  datasetSha256: string;
}

export const DEFAULT_TRAIN_COMMAND = "npm run train -- --config default --out model/artifacts";

export function parseInputs(): Inputs {
  const datasetSha256 = readString("dataset-sha256", { fallback: CANONICAL_DATASET_SHA256 }).toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(datasetSha256)) {
    throw new InputError(`Input "dataset-sha256" must be 64 hex digits, got "${datasetSha256}"`);
  }
  const artifactsDir = readString("artifacts-dir", { fallback: "model/artifacts" }).replace(/\/+$/, "");
  if (isAbsolute(artifactsDir) || artifactsDir.split("/").includes("..")) {
    throw new InputError(`Input "artifacts-dir" must be a path inside the repository, got "${artifactsDir}"`);
  }
  return {
    trainCommand: readString("train-command", { fallback: DEFAULT_TRAIN_COMMAND }),
    artifactsDir,
    minAccuracy: readNumber("min-accuracy", { fallback: 0.8, min: 0, max: 1 }),
    maxAccuracyDrop: readNumber("max-accuracy-drop", { fallback: 0.01, min: 0, max: 1 }),
    goldenExamples: goldenPath(readString("golden-examples", { fallback: "model/golden.json" })),
    baseRef: readString("base-ref"),
    githubToken: readString("github-token"),
    pushToken: readString("push-token"),
    commitMessage: readString("commit-message", { fallback: "chore(model): update trained artifacts" }),
    push: readBoolean("push", true),
    cacheDir: readString("cache-dir", { fallback: DEFAULT_DATASET_CACHE_DIR }),
    datasetSha256,
  };
}

function goldenPath(value: string): string {
  return value.toLowerCase() === "none" ? "" : value;
}
