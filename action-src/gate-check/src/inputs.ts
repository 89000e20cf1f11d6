/** gate-check's inputs, read once and named like action.yml. */
import { isAbsolute } from "node:path";
import { InputError } from "@textcat/action-shared/errors";
import { readChoice, readString } from "@textcat/action-shared/inputs";

export type Mode = "retrain" | "deploy";

export interface Inputs {
  mode: Mode;
  /** The pull request's base commit (mode retrain). */
  baseSha: string;
  modelDir: string;
  artifactsDir: string;
  githubToken: string;
}

function repoPath(name: string): string {
  const value = readString(name).replace(/\/+$/, "");
  if (isAbsolute(value) || value.split("/").includes("..")) {
    throw new InputError(`Input "${name}" must be a path inside the repository, got "${value}"`);
  }
  return value;
}

export function readInputs(): Inputs {
  const mode = readChoice<Mode>("mode", ["retrain", "deploy"]);
  const baseSha = readString("base-sha");
  if (mode === "retrain" && !/^[0-9a-f]{7,64}$/.test(baseSha)) {
    throw new InputError(`Input "base-sha" must be a commit SHA with mode retrain, got "${baseSha}"`);
  }
  return {
    mode,
    baseSha,
    modelDir: repoPath("model-dir"),
    artifactsDir: repoPath("artifacts-dir"),
    githubToken: readString("github-token"),
  };
}
