/**
 * Test helper: a temporary copy of the repository's workflow files and action metadata (.github/ and
 * action-src/<action>/action.yml), to edit one line and run the story's jobs from it.
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../../..");

export interface WorkflowCopy {
  root: string;
  /** Replaces `from` (which must be there) with `to` in one file of the copy. */
  edit(path: string, from: string, to: string): Promise<void>;
  remove(): Promise<void>;
}

export async function copyWorkflows(): Promise<WorkflowCopy> {
  const root = await mkdtemp(join(tmpdir(), "workflow-copy-"));
  await cp(join(ROOT, ".github"), join(root, ".github"), { recursive: true });
  for (const action of await readdir(join(ROOT, "action-src"))) {
    const metadata = join(ROOT, "action-src", action, "action.yml");
    await cp(metadata, join(root, "action-src", action, "action.yml")).catch(() => undefined);
  }
  return {
    root,
    async edit(path, from, to) {
      const text = await readFile(join(root, path), "utf8");
      if (!text.includes(from)) throw new Error(`${path} has no "${from}"`);
      await writeFile(join(root, path), text.replace(from, to));
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
