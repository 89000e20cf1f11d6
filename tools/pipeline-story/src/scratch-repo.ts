import { mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "@textcat/kit/process";

export interface ScratchRepo {
  root: string;
  tempDir: string;
  git(...args: string[]): Promise<string>;
  head(): Promise<string>;
  remove(): Promise<void>;
}

/**
 * A throwaway clone of the repository's committed HEAD, so the story commits, trains and builds
 * without touching the working tree. node_modules is linked from the original (as `npm ci` would
 * have produced it).
 */
export async function createScratchRepo(repoRoot: string): Promise<ScratchRepo> {
  const tempDir = await mkdtemp(join(tmpdir(), "textcat-pipeline-"));
  const root = join(tempDir, "repo");
  await run("git", ["clone", "--quiet", repoRoot, root], { quiet: true });
  await symlink(join(repoRoot, "node_modules"), join(root, "node_modules"));
  const git = async (...args: string[]): Promise<string> =>
    (await run("git", ["-C", root, ...args], { quiet: true })).trim();
  await git("config", "user.name", "textcat pipeline:local");
  await git("config", "user.email", "pipeline-local@localhost");
  return {
    root,
    tempDir,
    git,
    head: () => git("rev-parse", "HEAD"),
    remove: () => rm(tempDir, { recursive: true, force: true }),
  };
}
