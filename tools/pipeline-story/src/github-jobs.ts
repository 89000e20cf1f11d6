/**
 * The repository the story plays, and the jobs outside its workflow files that the story shows being
 * refused (a fork's, and PR jobs whose author reaches for more than the workflows grant).
 */
import type { GithubJob, GithubRepository } from "@textcat/local-aws/github-oidc";

export type StackRole = "push" | "deploy";

export interface WorkflowJob {
  /** What GitHub knows when it mints the job's OIDC token. */
  github: GithubJob;
  role: StackRole;
  /** The stage whose role it presents (default prod). */
  stage?: "dev";
}

/**
 * The repository the scratch clone stands for (GITHUB_REPOSITORY in run-action.ts). Its jobs' tokens
 * carry immutable subjects (`repo:local@90001/textcat-lambda@90002:…`), as a repository created now does.
 */
export const LOCAL_REPOSITORY: GithubRepository = {
  owner: "local",
  ownerId: "90001",
  name: "textcat-lambda",
  id: "90002",
  immutableSubject: true,
};

/** The same repository in the shape of a webhook payload (events.ts). */
export const STORY_REPOSITORY = {
  owner: LOCAL_REPOSITORY.owner,
  ownerId: Number(LOCAL_REPOSITORY.ownerId),
  name: LOCAL_REPOSITORY.name,
  id: Number(LOCAL_REPOSITORY.id),
};

/** Where a fork PR's head lives. */
export const FORK_REPOSITORY = { owner: "someone", ownerId: 90003, name: "textcat-lambda", id: 90004 };

export const MAIN = "refs/heads/main";

const PR_REF = "refs/pull/1/merge";

/**
 * Jobs no workflow file of the repository holds: a fork's, and what a PR's author could write. The
 * repository's own jobs are read from .github/workflows (workflow-run.ts).
 */
export const JOBS = {
  /** pr.yml `image` for a PR from a fork: GitHub gives it no OIDC token. */
  forkPrImage: {
    github: {
      event: "pull_request",
      ref: "refs/pull/2/merge",
      workflow: ".github/workflows/pr.yml",
      fromFork: true,
    },
    role: "push",
  },
  /** A PR workflow whose author points role-to-assume at the deploy role. */
  prAsDeployer: {
    github: { event: "pull_request", ref: PR_REF, workflow: ".github/workflows/pr.yml" },
    role: "deploy",
  },
  /** A PR workflow whose author runs promote with the role PRs do get. */
  prAsPromoter: {
    github: { event: "pull_request", ref: PR_REF, workflow: ".github/workflows/pr.yml" },
    role: "push",
  },
  /** deploy.yml `dev` (push to main, no environment) pointing role-to-assume at production's deploy role. */
  devAsProdDeployer: {
    github: { event: "push", ref: "refs/heads/main", workflow: ".github/workflows/deploy.yml" },
    role: "deploy",
  },
  /** deploy.yml `dev` with its own (dev) deploy role, running promote on the production function. */
  devPromotesProd: {
    github: { event: "push", ref: "refs/heads/main", workflow: ".github/workflows/deploy.yml" },
    role: "deploy",
    stage: "dev",
  },
} satisfies Record<string, WorkflowJob>;

export type AttackerJob = keyof typeof JOBS;
