/**
 * Test helper: a work repository, the bare repository it is pushed to, and the GitHub stand-in
 * serving that bare repository for octo/textcat; plus an Octokit (the one @actions/github builds)
 * pointed at the stand-in with a token of the given permissions.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { runSync } from "@textcat/kit/process";
import * as github from "@actions/github";
import type { GitHubClient } from "@textcat/action-shared/github-context";
import { startGitHubStandIn, type GitHubStandIn, type TokenRequest } from "../src/github/index.js";

export const OWNER = "octo";
export const NAME = "textcat";

const IDENTITY = {
  GIT_AUTHOR_NAME: "a",
  GIT_AUTHOR_EMAIL: "a@x",
  GIT_COMMITTER_NAME: "a",
  GIT_COMMITTER_EMAIL: "a@x",
};

export interface Fixture {
  gh: GitHubStandIn;
  /** The work tree (a clone of nothing, pushed to the bare repository by path). */
  root: string;
  bare: string;
  git(args: string[], env?: Record<string, string>): string;
  /** Commits these files on the current branch and returns the new SHA. */
  commit(files: Record<string, string>, message: string): string;
  /** Pushes HEAD to a branch of the bare repository directly (setup, no token involved). */
  publish(branch: string): void;
  client(request: TokenRequest): GitHubClient;
  close(): Promise<void>;
}

export async function startFixture(): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), "github-stand-in-"));
  const root = join(dir, "work");
  const bare = join(dir, "textcat.git");
  mkdirSync(root);
  const git = (args: string[], env: Record<string, string> = {}) =>
    runSync("git", args, {
      cwd: root,
      env: { ...process.env, ...IDENTITY, GIT_TERMINAL_PROMPT: "0", ...env },
    }).trim();
  runSync("git", ["init", "--quiet", "--bare", "--initial-branch=main", bare]);
  git(["init", "--quiet", "--initial-branch=main"]);
  const gh = await startGitHubStandIn({
    repository: { owner: OWNER, name: NAME, id: 5552, ownerId: 5551 },
    bareRepoDir: bare,
  });
  return {
    gh,
    root,
    bare,
    git,
    commit(files, message) {
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
      }
      git(["add", "--all"]);
      git(["commit", "--quiet", "-m", message]);
      return git(["rev-parse", "HEAD"]);
    },
    publish(branch) {
      git(["push", "--quiet", bare, `HEAD:refs/heads/${branch}`]);
    },
    client: (request) => github.getOctokit(gh.issueToken(request), { baseUrl: gh.apiUrl }),
    async close() {
      await gh.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
