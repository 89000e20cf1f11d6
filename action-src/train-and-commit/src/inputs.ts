import { isAbsolute } from "node:path";
import { InputError } from "@textcat/action-shared/errors";
import { readBoolean, readNumber, readString } from "@textcat/action-shared/inputs";

/** The action's inputs, named as in action.yml (whose defaults the runner fills in). */
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

export function readInputs(): Inputs {
  const datasetSha256 = readString("dataset-sha256").toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(datasetSha256)) {
    throw new InputError(`Input "dataset-sha256" must be 64 hex digits, got "${datasetSha256}"`);
  }
  const artifactsDir = readString("artifacts-dir").replace(/\/+$/, "");
  if (isAbsolute(artifactsDir) || artifactsDir.split("/").includes("..")) {
    throw new InputError(`Input "artifacts-dir" must be a path inside the repository, got "${artifactsDir}"`);
  }
  return {
    trainCommand: readString("train-command"),
    artifactsDir,
    minAccuracy: readNumber("min-accuracy", { min: 0, max: 1 }),
    maxAccuracyDrop: readNumber("max-accuracy-drop", { min: 0, max: 1 }),
    goldenExamples: goldenPath(readString("golden-examples")),
    baseRef: readString("base-ref"),
    githubToken: readString("github-token"),
    pushToken: readString("push-token"),
    commitMessage: readString("commit-message"),
    push: readBoolean("push"),
    cacheDir: readString("cache-dir"),
    datasetSha256,
  };
}

function goldenPath(value: string): string {
  return value.toLowerCase() === "none" ? "" : value;
}
