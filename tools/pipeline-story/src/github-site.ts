/**
 * The story's GitHub: the stand-in (tools/local-aws/src/github) serving the scratch clone's commits
 * from a bare repository, which is the clone's `origin`. What people do on github.com (open a pull
 * request, press merge) is done here directly; what the jobs do goes through the stand-in's REST API
 * and git smart HTTP with each job's token.
 */
import { join } from "node:path";
import { run } from "@textcat/kit/process";
import { startGitHubStandIn, type GitHubStandIn } from "@textcat/local-aws/github";
import { LOCAL_REPOSITORY } from "./github-jobs.js";
import type { ScratchRepo } from "./scratch-repo.js";
import type { JobSpec } from "./workflow-run.js";

export interface PullRequestOnSite {
  number: number;
  headRef: string;
  baseSha: string;
  fork: boolean;
}

export class GitHubSite {
  private readonly pulls = new Map<number, PullRequestOnSite>();

  private constructor(
    readonly standIn: GitHubStandIn,
    private readonly repo: ScratchRepo,
    private readonly bare: string,
  ) {}

  /** A bare repository holding the clone's HEAD as main, served by the stand-in and made `origin`. */
  static async open(repo: ScratchRepo): Promise<GitHubSite> {
    const bare = join(repo.tempDir, "github.git");
    await run("git", ["init", "--quiet", "--bare", "--initial-branch=main", bare], { quiet: true });
    const standIn = await startGitHubStandIn({
      repository: {
        owner: LOCAL_REPOSITORY.owner,
        name: LOCAL_REPOSITORY.name,
        id: Number(LOCAL_REPOSITORY.id),
        ownerId: Number(LOCAL_REPOSITORY.ownerId),
      },
      bareRepoDir: bare,
    });
    const site = new GitHubSite(standIn, repo, bare);
    try {
      await site.publish("main");
      await repo.git("remote", "set-url", "origin", standIn.gitUrl);
    } catch (error) {
      await standIn.close();
      throw error;
    }
    return site;
  }

  /** The clone's HEAD on a branch of the bare repository (what a person's own push does). */
  async publish(branch: string): Promise<void> {
    await this.repo.git("push", "--quiet", "--force", this.bare, `HEAD:refs/heads/${branch}`);
  }

  /** A pull request from `headRef` at the clone's HEAD, based on main at `baseSha`. */
  async openPullRequest(number: number, headRef: string, baseSha: string, fork: boolean): Promise<void> {
    const pull = { number, headRef, baseSha, fork };
    this.pulls.set(number, pull);
    await this.publish(headRef);
    await this.refresh(pull);
  }

  /** The pull request's head moved (a job pushed to its branch): its commits as GitHub lists them. */
  async refreshPullRequest(number: number): Promise<void> {
    const pull = this.pulls.get(number);
    if (pull) await this.refresh(pull);
  }

  private async refresh(pull: PullRequestOnSite): Promise<void> {
    const headSha = (
      await this.repo.git("--git-dir", this.bare, "rev-parse", `refs/heads/${pull.headRef}`)
    ).trim();
    await this.standIn.openPullRequest({
      number: pull.number,
      headRef: pull.headRef,
      headSha,
      baseRef: "main",
      baseSha: pull.baseSha,
      fork: pull.fork,
    });
  }

  /** The merge button, fast-forward: main becomes the clone's HEAD. */
  async merge(number: number): Promise<string> {
    await this.publish("main");
    const sha = await this.repo.head();
    this.standIn.mergePullRequest(number, sha);
    return sha;
  }

  /** The GITHUB_TOKEN GitHub gives the job: its workflow's grants, capped at read for a fork's PR. */
  token(job: JobSpec): string {
    return this.standIn.issueToken({
      permissions: job.permissions,
      fork: job.event.fromFork,
      jobName: `${job.workflow} ${job.jobId}`,
    });
  }

  close(): Promise<void> {
    return this.standIn.close();
  }
}
