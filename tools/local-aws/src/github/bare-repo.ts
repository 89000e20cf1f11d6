/** Reads the stand-in's bare repository with git itself: refs resolved and commits read as GitHub does. */
import { run } from "@textcat/kit/process";

export interface CommitInfo {
  sha: string;
  parents: string[];
  tree: string;
  message: string;
  author: { name: string; email: string; date: string };
  committer: { name: string; email: string; date: string };
}

export class BareRepo {
  constructor(readonly dir: string) {}

  private async git(args: string[]): Promise<string | undefined> {
    try {
      return await run("git", ["--git-dir", this.dir, ...args], { quiet: true });
    } catch {
      return undefined;
    }
  }

  /** The commit a SHA, branch or tag names (as `heads/x`/`tags/x` too), or undefined. */
  async resolveCommit(ref: string): Promise<string | undefined> {
    if (ref.startsWith("-")) return undefined;
    const candidates = [ref, ref.replace(/^(heads|tags)\//, "refs/$1/")];
    for (const candidate of new Set(candidates)) {
      const out = await this.git(["rev-parse", "--verify", "--quiet", `${candidate}^{commit}`]);
      if (out?.trim()) return out.trim();
    }
    return undefined;
  }

  /** The commits in `head` and not in `base`, oldest first (a pull request's commits). */
  async commitsBetween(base: string, head: string): Promise<string[]> {
    const out = await this.git(["rev-list", "--reverse", `${base}..${head}`]);
    if (out === undefined) throw new Error(`git rev-list ${base}..${head} failed in ${this.dir}`);
    return out.split("\n").filter(Boolean);
  }

  async commit(sha: string): Promise<CommitInfo | undefined> {
    const format = ["%H", "%P", "%T", "%an", "%ae", "%aI", "%cn", "%ce", "%cI", "%B"].join("%x00");
    const out = await this.git(["show", "-s", `--format=${format}`, sha]);
    if (!out) return undefined;
    const [full, parents, tree, an, ae, ad, cn, ce, cd, ...message] = out.split("\0");
    return {
      sha: full ?? sha,
      parents: (parents ?? "").split(" ").filter(Boolean),
      tree: tree ?? "",
      message: message.join("\0").replace(/\n+$/, ""),
      author: { name: an ?? "", email: ae ?? "", date: isoSeconds(ad) },
      committer: { name: cn ?? "", email: ce ?? "", date: isoSeconds(cd) },
    };
  }
}

/** GitHub writes timestamps as UTC `YYYY-MM-DDTHH:MM:SSZ`. */
export function isoSeconds(value: string | Date | undefined): string {
  const date = value instanceof Date ? value : new Date(value ?? 0);
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
