/**
 * GitHub deployments and their statuses, so a deploy shows on the repository's Environments page.
 * Recording is best effort: without a token or repository context it is a no-op with a notice, and
 * an API failure (e.g. no `deployments: write` permission) is a warning, never a failed deploy.
 */
import * as core from "@actions/core";
import { errorMessage } from "@textcat/kit/errors";
import type { GitHubClient, RepoContext } from "./github-context.js";
import { createGitHubClient, repoContext } from "./github-context.js";

export type DeploymentState = "queued" | "in_progress" | "success" | "failure" | "error" | "inactive";

export interface DeploymentOptions {
  token: string;
  environment: string;
  /** The git ref or SHA that is being deployed. */
  ref: string;
  description: string;
  environmentUrl?: string;
  productionEnvironment?: boolean;
  /** For tests; by default made from the token. */
  client?: GitHubClient;
  repo?: RepoContext;
}

export interface DeploymentRecord {
  /** The GitHub deployment id, or undefined when nothing was recorded. */
  readonly id: number | undefined;
  setStatus(state: DeploymentState, description: string): Promise<void>;
}

const NOT_RECORDED: DeploymentRecord = { id: undefined, setStatus: async () => {} };

export async function recordDeployment(options: DeploymentOptions): Promise<DeploymentRecord> {
  const repo = options.repo ?? repoContext();
  if (!options.token || !repo) {
    core.notice(
      `GitHub deployment not recorded: ${!options.token ? "no github-token" : "no repository context"}`,
    );
    return NOT_RECORDED;
  }
  const client = options.client ?? createGitHubClient(options.token);
  try {
    const created = await client.rest.repos.createDeployment({
      owner: repo.owner,
      repo: repo.repo,
      ref: options.ref,
      environment: options.environment,
      description: truncate(options.description),
      auto_merge: false,
      required_contexts: [],
      production_environment: options.productionEnvironment,
    });
    const id = "id" in created.data ? created.data.id : undefined;
    if (id === undefined) throw new Error(`GitHub did not create a deployment (${created.status})`);
    return {
      id,
      setStatus: (state, description) => setStatus(client, repo, id, state, description, options),
    };
  } catch (error) {
    core.warning(`GitHub deployment not recorded: ${errorMessage(error)}`);
    return NOT_RECORDED;
  }
}

async function setStatus(
  client: GitHubClient,
  repo: RepoContext,
  deploymentId: number,
  state: DeploymentState,
  description: string,
  options: DeploymentOptions,
): Promise<void> {
  try {
    await client.rest.repos.createDeploymentStatus({
      owner: repo.owner,
      repo: repo.repo,
      deployment_id: deploymentId,
      state,
      description: truncate(description),
      environment_url: options.environmentUrl,
      log_url: repo.runUrl,
      auto_inactive: state === "success",
    });
  } catch (error) {
    core.warning(`GitHub deployment status "${state}" not recorded: ${errorMessage(error)}`);
  }
}

/** GitHub rejects deployment and commit-status descriptions over 140 characters. */
export function truncate(text: string): string {
  return text.length <= 140 ? text : `${text.slice(0, 139)}…`;
}
