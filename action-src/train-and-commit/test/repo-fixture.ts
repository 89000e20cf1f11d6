/**
 * Test helper: a real git repository with an "origin" (a bare repo on disk), a main branch and a PR
 * branch checked out, plus the pull_request event file a runner would give the action.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { runSync } from "@textcat/kit/process";

export interface RepoFixture {
  root: string;
  work: string;
  origin: string;
  eventPath: string;
  git(...args: string[]): string;
  originSha(branch: string): string;
  /** Writes files (path → text) and commits them on main, then returns to the PR branch merged with it. */
  commitOnMain(files: Record<string, string>, message: string): void;
  writePullRequestEvent(options?: { fork?: boolean; headSha?: string }): void;
  remove(): void;
}

export function createRepoFixture(files: Record<string, string>): RepoFixture {
  const root = mkdtempSync(join(tmpdir(), "train-and-commit-"));
  const origin = join(root, "origin.git");
  const work = join(root, "work");
  const run = (cwd: string, args: string[]) =>
    runSync("git", args, {
      cwd,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "dev",
        GIT_AUTHOR_EMAIL: "dev@example.com",
        GIT_COMMITTER_NAME: "dev",
        GIT_COMMITTER_EMAIL: "dev@example.com",
      },
    }).trim();
  run(root, ["init", "--quiet", "--bare", "--initial-branch=main", origin]);
  run(root, ["clone", "--quiet", origin, work]);
  const git = (...args: string[]) => run(work, args);
  const write = (entries: Record<string, string>) => {
    for (const [path, text] of Object.entries(entries)) {
      mkdirSync(dirname(join(work, path)), { recursive: true });
      writeFileSync(join(work, path), text);
    }
  };
  git("checkout", "--quiet", "-b", "main");
  write({ ".gitignore": ".cache/\n", ...files });
  git("add", "--all");
  git("commit", "--quiet", "-m", "initial");
  git("push", "--quiet", "origin", "main");
  git("checkout", "--quiet", "-b", "retrain");
  git("push", "--quiet", "origin", "retrain");

  const fixture: RepoFixture = {
    root,
    work,
    origin,
    eventPath: join(root, "event.json"),
    git,
    originSha: (branch) => run(origin, ["rev-parse", branch]),
    commitOnMain(entries, message) {
      git("checkout", "--quiet", "main");
      write(entries);
      git("add", "--all");
      git("commit", "--quiet", "-m", message);
      git("push", "--quiet", "origin", "main");
      git("checkout", "--quiet", "retrain");
      git("merge", "--quiet", "--no-edit", "main");
      git("push", "--quiet", "origin", "retrain");
    },
    writePullRequestEvent({ fork = false, headSha = git("rev-parse", "HEAD") } = {}) {
      const event = {
        pull_request: {
          number: 7,
          head: {
            ref: "retrain",
            sha: headSha,
            repo: { full_name: fork ? "someone/textcat" : "octo/textcat" },
          },
          base: { ref: "main", sha: git("rev-parse", "main"), repo: { full_name: "octo/textcat" } },
        },
      };
      writeFileSync(fixture.eventPath, JSON.stringify(event));
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
  return fixture;
}

/** The variables a runner sets for a pull_request run in this fixture. */
export function pullRequestEnv(fixture: RepoFixture): Record<string, string> {
  return {
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_EVENT_PATH: fixture.eventPath,
    GITHUB_REPOSITORY: "octo/textcat",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_RUN_ID: "42",
  };
}
