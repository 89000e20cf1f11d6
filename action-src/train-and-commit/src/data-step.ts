/** Reads the data summary the training command wrote and the one committed at the base ref. */
import * as core from "@actions/core";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ARTIFACT_FILES } from "@textcat/contract";
import type { DataSummary } from "@textcat/model/data-check";
import { errorMessage } from "@textcat/kit/errors";
import { parseDataSummary } from "./data-summary.js";
import type { Git } from "./git.js";

export interface DataSummaries {
  current: DataSummary | undefined;
  base: DataSummary | undefined;
}

export async function readDataSummaries(
  git: Git,
  artifactsDir: string,
  baseRef: string,
): Promise<DataSummaries> {
  const path = join(artifactsDir, ARTIFACT_FILES.dataSummary);
  const text = await readFile(path, "utf8").catch(() => undefined);
  if (text === undefined) {
    core.notice(`The training command wrote no ${path}: the PR comment has no data summary`);
    return { current: undefined, base: undefined };
  }
  const current = parseDataSummary(text, path);
  const baseText = await git.readFileAtRef(baseRef, path);
  if (baseText === undefined) return { current, base: undefined };
  try {
    return { current, base: parseDataSummary(baseText, `${baseRef}:${path}`) };
  } catch (error) {
    // The base's file only feeds the comparison; a broken one must not block this PR's model.
    core.warning(`${errorMessage(error)}; the PR comment shows no data changes`);
    return { current, base: undefined };
  }
}
