/**
 * What the quality gate records, and how a later run reads it back. train-and-commit sets the commit
 * status textcat/quality-gate on the commit it judged, naming the SHA-256 of the artifacts it passed;
 * gate-check accepts artifacts only when such a status, created by the pipeline, names their hash.
 *
 * "Anyone with write permissions to a repository can set the state for any status check"
 * (https://docs.github.com/en/pull-requests/reference/status-checks), so a status counts only when
 * its creator is the workflows' own identity: a human cannot act as github-actions[bot], and a fork's
 * pull_request run gets a read-only GITHUB_TOKEN, which cannot create statuses.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { relative, sep } from "node:path";
import { filesUnder } from "@textcat/kit/files";

export const GATE_CONTEXT = "textcat/quality-gate";

/** Who creates the gate status: the GITHUB_TOKEN of the repository's own workflows. */
export const PIPELINE_CREATORS: readonly string[] = ["github-actions[bot]"];

const HASH_IN_DESCRIPTION = /artifacts sha256:([0-9a-f]{64})/;

/** The status description of a passed gate (≤ 140 characters, GitHub's limit). */
export function gatePassedDescription(accuracy: number, macroF1: number, artifactsSha256: string): string {
  return `passed: acc ${accuracy.toFixed(4)}, F1 ${macroF1.toFixed(4)}; artifacts sha256:${artifactsSha256}`;
}

/** A commit status as the REST API lists it (only the fields read here). */
export interface CommitStatusView {
  context: string;
  state: string;
  description?: string | null;
  creator?: { login?: string } | null;
}

/** The artifacts hash a status says the gate passed, or undefined when it is no such pipeline status. */
export function gatePassedHash(status: CommitStatusView): string | undefined {
  if (status.context !== GATE_CONTEXT || status.state !== "success") return undefined;
  if (!PIPELINE_CREATORS.includes(status.creator?.login ?? "")) return undefined;
  return HASH_IN_DESCRIPTION.exec(status.description ?? "")?.[1];
}

export interface JudgedCommit {
  sha: string;
  statuses: readonly CommitStatusView[];
}

/** The first commit (in the order given) whose pipeline gate status passed exactly these artifacts. */
export function findGatePass(artifactsSha256: string, commits: readonly JudgedCommit[]): string | undefined {
  return commits.find((commit) => commit.statuses.some((s) => gatePassedHash(s) === artifactsSha256))?.sha;
}

/**
 * SHA-256 over every file under `dir` (sorted paths, each path and its bytes' SHA-256): any change to
 * any artifact, even a report, changes it.
 */
export function artifactsSha256(dir: string): string {
  const files = filesUnder(dir).sort();
  if (files.length === 0) throw new Error(`no artifacts under ${dir}`);
  const outer = createHash("sha256");
  for (const file of files) {
    const inner = createHash("sha256").update(readFileSync(file)).digest("hex");
    outer.update(`${relative(dir, file).split(sep).join("/")}\0${inner}\n`);
  }
  return outer.digest("hex");
}
