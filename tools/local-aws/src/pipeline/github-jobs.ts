/**
 * The workflow jobs that talk to AWS, as .github/workflows names them: the event that starts each, its
 * environment, and the role its `role-to-assume` reads (vars.AWS_ROLE_ARN: the repository variable is
 * the push role; the `production` environment's variable of the same name, or the repository variable
 * DEPLOY_ROLE_ARN that promote and rollback read first, is the deploy role).
 */
import type { GithubJob, GithubRepository } from "../iam/github-oidc.js";

export type StackRole = "push" | "deploy";

export interface WorkflowJob {
  /** What GitHub knows when it mints the job's OIDC token. */
  github: GithubJob;
  role: StackRole;
  /** The stage whose role it assumes and whose function it deploys (default prod). */
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

const PR_REF = "refs/pull/1/merge";

export const JOBS = {
  /** pr.yml `image`: a same-repository pull request. */
  prImage: {
    github: { event: "pull_request", ref: PR_REF, workflow: ".github/workflows/pr.yml" },
    role: "push",
  },
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
  /** deploy.yml `image`: push to main. */
  mainImage: {
    github: { event: "push", ref: "refs/heads/main", workflow: ".github/workflows/deploy.yml" },
    role: "push",
  },
  /** deploy.yml `promote`: push to main, environment production. */
  promote: {
    github: {
      event: "push",
      ref: "refs/heads/main",
      environment: "production",
      workflow: ".github/workflows/deploy.yml",
    },
    role: "deploy",
  },
  /** deploy.yml `dev`: push to main, no environment (subject ref:refs/heads/main), the dev deploy role. */
  promoteDev: {
    github: { event: "push", ref: "refs/heads/main", workflow: ".github/workflows/deploy.yml" },
    role: "deploy",
    stage: "dev",
  },
  /** deploy.yml `dev`'s token presented for the production deploy role. */
  devAsProdDeployer: {
    github: { event: "push", ref: "refs/heads/main", workflow: ".github/workflows/deploy.yml" },
    role: "deploy",
  },
  /** rollback.yml: workflow_dispatch, environment production. */
  rollback: {
    github: {
      event: "workflow_dispatch",
      ref: "refs/heads/main",
      environment: "production",
      workflow: ".github/workflows/rollback.yml",
    },
    role: "deploy",
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
} satisfies Record<string, WorkflowJob>;

export type JobName = keyof typeof JOBS;
