import * as github from "@actions/github";

export type GitHubClient = ReturnType<typeof github.getOctokit>;

export interface RepoContext {
  owner: string;
  repo: string;
  serverUrl: string;
  /** Link to this workflow run, when the runner says which run this is. */
  runUrl?: string;
}

/** The repository this run belongs to, read from the runner's variables; undefined outside a runner. */
export function repoContext(env: NodeJS.ProcessEnv = process.env): RepoContext | undefined {
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? "").split("/");
  if (!owner || !repo || rest.length > 0) return undefined;
  const serverUrl = env.GITHUB_SERVER_URL || "https://github.com";
  const runUrl = env.GITHUB_RUN_ID
    ? `${serverUrl}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}`
    : undefined;
  return { owner, repo, serverUrl, runUrl };
}

export function createGitHubClient(token: string): GitHubClient {
  return github.getOctokit(token);
}
