import { readdirSync } from "node:fs";
import { join } from "node:path";

/** Never read as content: installed dependencies and git's own store. */
const SKIPPED_DIRS = new Set(["node_modules", ".git"]);

/**
 * Every regular file under `dir`, recursively, skipping node_modules and .git; symlinks and other
 * non-files are left out. Order is the directory listing's: callers that hash sort the paths.
 */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : filesUnder(path);
    return entry.isFile() ? [path] : [];
  });
}
