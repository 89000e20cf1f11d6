import { ActionError } from "@textcat/action-shared/errors";
import type { RunCommand } from "@textcat/action-shared/exec";
import { lastLine } from "@textcat/action-shared/exec";

const BOT_NAME = "github-actions[bot]";
const BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com";

export class Git {
  constructor(private readonly run: RunCommand) {}

  private async git(args: string[], input?: string, env?: Record<string, string>) {
    return this.run("git", args, { silent: true, input, env });
  }

  async head(): Promise<string> {
    const result = await this.git(["rev-parse", "HEAD"]);
    if (result.exitCode !== 0) throw new ActionError(`not a git checkout: ${lastLine(result.stderr)}`);
    return result.stdout.trim();
  }

  /** The parents of HEAD (two for a merge commit). */
  async headParents(): Promise<string[]> {
    const result = await this.git(["rev-list", "--parents", "-n", "1", "HEAD"]);
    return result.stdout.trim().split(/\s+/).slice(1);
  }

  private async hasCommit(ref: string): Promise<boolean> {
    return (await this.git(["cat-file", "-e", `${ref}^{commit}`])).exitCode === 0;
  }

  /**
   * A file's text at a ref, or undefined when the ref has no such file. A ref missing from a shallow
   * clone is fetched once; a ref that still isn't there is an error, not "no file".
   */
  async readFileAtRef(ref: string, path: string): Promise<string | undefined> {
    if (!(await this.hasCommit(ref))) {
      await this.git(["fetch", "--no-tags", "--depth=1", "origin", ref]);
      if (!(await this.hasCommit(ref))) {
        throw new ActionError(
          `base ref "${ref}" is not in this clone and could not be fetched; check out with fetch-depth: 0 or set base-ref`,
        );
      }
    }
    const result = await this.git(["show", `${ref}:./${path}`]);
    return result.exitCode === 0 ? result.stdout : undefined;
  }

  async hasChanges(dir: string): Promise<boolean> {
    const result = await this.git(["status", "--porcelain", "--untracked-files=all", "--", dir]);
    if (result.exitCode !== 0) throw new ActionError(`git status failed: ${lastLine(result.stderr)}`);
    return result.stdout.trim().length > 0;
  }

  /** Commits everything under dir (and only that) as github-actions[bot]; returns the new HEAD. */
  async commitDir(dir: string, message: string): Promise<string> {
    const add = await this.git(["add", "--all", "--", dir]);
    if (add.exitCode !== 0) throw new ActionError(`git add ${dir} failed: ${lastLine(add.stderr)}`);
    const identity = ["-c", `user.name=${BOT_NAME}`, "-c", `user.email=${BOT_EMAIL}`];
    const commit = await this.git(
      [...identity, "commit", "--quiet", "--no-verify", "-F", "-", "--", dir],
      message,
    );
    if (commit.exitCode !== 0)
      throw new ActionError(`git commit failed: ${lastLine(commit.stderr || commit.stdout)}`);
    return this.head();
  }

  /**
   * Pushes HEAD to a branch of origin. The token reaches this one git process only, through its
   * environment (pushAuthEnv); no hook of the checkout runs (`--no-verify`, hooksPath emptied).
   */
  async push(
    branch: string,
    auth?: PushAuth,
  ): Promise<{ ok: true } | { ok: false; permissionDenied: boolean; message: string }> {
    const env = auth ? pushAuthEnv(auth) : undefined;
    const result = await this.git(
      ["push", "--no-verify", "origin", `HEAD:refs/heads/${branch}`],
      undefined,
      env,
    );
    if (result.exitCode === 0) return { ok: true };
    const message = lastLine(result.stderr) || `exit code ${result.exitCode}`;
    const permissionDenied = /403|permission|denied|not allowed|write access/i.test(result.stderr);
    return { ok: false, permissionDenied, message };
  }
}

export interface PushAuth {
  token: string;
  /** GITHUB_SERVER_URL, e.g. https://github.com */
  serverUrl: string;
}

/**
 * Git configuration given as GIT_CONFIG_COUNT/KEY_n/VALUE_n variables (git ≥ 2.31): the same
 * `http.<server>/.extraheader` that actions/checkout writes into .git/config when it persists
 * credentials (src/git-auth-helper.ts), here held by the push's environment alone, so nothing on disk
 * carries the token while the pull request's code runs.
 */
export function pushAuthEnv(auth: PushAuth): Record<string, string> {
  const basic = Buffer.from(`x-access-token:${auth.token}`, "utf8").toString("base64");
  return {
    GIT_CONFIG_COUNT: "2",
    GIT_CONFIG_KEY_0: `http.${new URL(auth.serverUrl).origin}/.extraheader`,
    GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${basic}`,
    GIT_CONFIG_KEY_1: "core.hooksPath",
    GIT_CONFIG_VALUE_1: "/dev/null",
  };
}
