/** gate-check's reads: the checkout's git history and the commit statuses GitHub holds. */
import { ActionError } from "@textcat/action-shared/errors";
import type { RunCommand } from "@textcat/action-shared/exec";
import { lastLine } from "@textcat/action-shared/exec";
import type { CommitStatusView, JudgedCommit } from "@textcat/action-shared/gate-record";
import type { GitHubClient, RepoContext } from "@textcat/action-shared/github-context";

/** At most this many commits are asked about (one API call each). */
export const MAX_COMMITS = 20;

export class History {
  constructor(private readonly run: RunCommand) {}

  private async git(args: string[]): Promise<string> {
    const result = await this.run("git", args, { silent: true });
    if (result.exitCode !== 0) {
      throw new ActionError(
        `git ${args[0]} failed: ${lastLine(result.stderr) || `exit ${result.exitCode}`} (check out with fetch-depth: 0)`,
      );
    }
    return result.stdout.trim();
  }

  async changedSince(base: string, dir: string): Promise<boolean> {
    return (await this.git(["diff", "--name-only", `${base}...HEAD`, "--", dir])).length > 0;
  }

  /** Commits in base..HEAD, newest first, for as long as `dir` is the same tree as at HEAD. */
  async sameTreeCommits(base: string, dir: string): Promise<string[]> {
    const head = await this.git(["rev-parse", `HEAD:${dir}`]);
    const commits = (await this.git(["rev-list", `--max-count=${MAX_COMMITS}`, `${base}..HEAD`, "--"]))
      .split("\n")
      .filter(Boolean);
    const same: string[] = [];
    for (const sha of commits) {
      const tree = await this.run("git", ["rev-parse", `${sha}:${dir}`], { silent: true });
      if (tree.exitCode !== 0 || tree.stdout.trim() !== head) break;
      same.push(sha);
    }
    return same;
  }

  async lastCommitTouching(dir: string): Promise<string> {
    const sha = await this.git(["log", "-1", "--format=%H", "--", dir]);
    if (!sha) throw new ActionError(`no commit in this checkout touches ${dir}`);
    return sha;
  }
}

export class StatusReader {
  constructor(
    private readonly client: GitHubClient,
    private readonly repo: RepoContext,
  ) {}

  async judged(shas: readonly string[]): Promise<JudgedCommit[]> {
    const unique = [...new Set(shas)].slice(0, MAX_COMMITS);
    const commits: JudgedCommit[] = [];
    for (const sha of unique) commits.push({ sha, statuses: await this.statuses(sha) });
    return commits;
  }

  private async statuses(sha: string): Promise<CommitStatusView[]> {
    const { data } = await this.client.rest.repos.listCommitStatusesForRef({
      owner: this.repo.owner,
      repo: this.repo.repo,
      ref: sha,
      per_page: 100,
    });
    return data;
  }

  /** The commits of the pull request(s) that brought `sha` to the branch, newest first. */
  async pullRequestCommits(sha: string): Promise<string[]> {
    const { data: pulls } = await this.client.rest.repos.listPullRequestsAssociatedWithCommit({
      owner: this.repo.owner,
      repo: this.repo.repo,
      commit_sha: sha,
    });
    const shas: string[] = [];
    for (const pull of pulls.slice(0, 3)) {
      const { data: commits } = await this.client.rest.pulls.listCommits({
        owner: this.repo.owner,
        repo: this.repo.repo,
        pull_number: pull.number,
        per_page: 100,
      });
      shas.push(...commits.map((commit) => commit.sha).reverse());
    }
    return shas;
  }
}
