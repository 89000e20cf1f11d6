/**
 * The JSON GitHub answers with for the records the stand-in holds: ids, `node_id`, the `url` family
 * and timestamps set from the record, every other required field completed to the documented schema.
 */
import type { CommitInfo } from "./bare-repo.js";
import { conform } from "./conform.js";
import type { JsonSchema } from "./description.js";
import type { PullRequestState } from "./store.js";
import type { CommentRecord, CommitStatusRecord, DeploymentRecord, DeploymentStatusRecord } from "./types.js";

export interface Site {
  serverUrl: string;
  apiUrl: string;
  owner: string;
  name: string;
  repositoryId: number;
  ownerId: number;
  now: () => string;
}

/** The legacy global node id GitHub still returns: base64 of `0<len>:<Type><id>`. */
export function nodeId(type: string, id: number | string): string {
  return Buffer.from(`0${String(type.length).padStart(2, "0")}:${type}${id}`).toString("base64");
}

const repoApi = (site: Site) => `${site.apiUrl}/repos/${site.owner}/${site.name}`;
const repoHtml = (site: Site) => `${site.serverUrl}/${site.owner}/${site.name}`;

/** github-actions[bot], the author of everything a GITHUB_TOKEN writes. */
export function botUser(site: Site): Record<string, unknown> {
  const login = "github-actions[bot]";
  const url = `${site.apiUrl}/users/${encodeURIComponent(login)}`;
  return {
    login,
    id: 41898282,
    node_id: "MDM6Qm90NDE4OTgyODI=",
    avatar_url: "https://avatars.githubusercontent.com/in/15368?v=4",
    gravatar_id: "",
    url,
    html_url: `${site.serverUrl}/apps/github-actions`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: "Bot",
    site_admin: false,
  };
}

function ownerUser(site: Site): Record<string, unknown> {
  const url = `${site.apiUrl}/users/${site.owner}`;
  return {
    ...botUser(site),
    login: site.owner,
    id: site.ownerId,
    node_id: nodeId("User", site.ownerId),
    url,
    html_url: `${site.serverUrl}/${site.owner}`,
    type: "Organization",
  };
}

export function commentJson(site: Site, comment: CommentRecord, schema: JsonSchema | undefined): unknown {
  return conform(
    schema,
    {
      id: comment.id,
      node_id: nodeId("IssueComment", comment.id),
      url: `${repoApi(site)}/issues/comments/${comment.id}`,
      html_url: `${repoHtml(site)}/pull/${comment.issueNumber}#issuecomment-${comment.id}`,
      issue_url: `${repoApi(site)}/issues/${comment.issueNumber}`,
      body: comment.body,
      user: botUser(site),
      created_at: comment.createdAt,
      updated_at: comment.updatedAt,
      author_association: "NONE",
      performed_via_github_app: null,
    },
    { url: repoApi(site), now: site.now() },
  );
}

export function statusJson(site: Site, status: CommitStatusRecord, schema: JsonSchema | undefined): unknown {
  return conform(
    schema,
    {
      url: `${repoApi(site)}/statuses/${status.sha}`,
      avatar_url: "https://avatars.githubusercontent.com/in/15368?v=4",
      id: status.id,
      node_id: nodeId("StatusContext", status.id),
      state: status.state,
      description: status.description,
      target_url: status.targetUrl,
      context: status.context,
      created_at: status.createdAt,
      updated_at: status.createdAt,
      creator: botUser(site),
    },
    { url: repoApi(site), now: site.now() },
  );
}

export function deploymentJson(
  site: Site,
  deployment: DeploymentRecord,
  schema: JsonSchema | undefined,
): unknown {
  const url = `${repoApi(site)}/deployments/${deployment.id}`;
  return conform(
    schema,
    {
      url,
      id: deployment.id,
      node_id: nodeId("Deployment", deployment.id),
      sha: deployment.sha,
      ref: deployment.ref,
      task: "deploy",
      payload: {},
      original_environment: deployment.environment,
      environment: deployment.environment,
      description: deployment.description,
      creator: botUser(site),
      created_at: deployment.createdAt,
      updated_at: deployment.createdAt,
      statuses_url: `${url}/statuses`,
      repository_url: repoApi(site),
      transient_environment: false,
      production_environment: deployment.productionEnvironment,
      performed_via_github_app: null,
    },
    { url: repoApi(site), now: site.now() },
  );
}

export function deploymentStatusJson(
  site: Site,
  status: DeploymentStatusRecord,
  environment: string,
  schema: JsonSchema | undefined,
): unknown {
  const deploymentUrl = `${repoApi(site)}/deployments/${status.deploymentId}`;
  return conform(
    schema,
    {
      url: `${deploymentUrl}/statuses/${status.id}`,
      id: status.id,
      node_id: nodeId("DeploymentStatus", status.id),
      state: status.state,
      creator: botUser(site),
      description: status.description,
      environment,
      target_url: status.logUrl,
      created_at: status.createdAt,
      updated_at: status.createdAt,
      deployment_url: deploymentUrl,
      repository_url: repoApi(site),
      environment_url: status.environmentUrl,
      log_url: status.logUrl,
      performed_via_github_app: null,
    },
    { url: repoApi(site), now: site.now() },
  );
}

export function commitJson(site: Site, commit: CommitInfo, schema: JsonSchema | undefined): unknown {
  const url = `${repoApi(site)}/commits/${commit.sha}`;
  return conform(
    schema,
    {
      url,
      sha: commit.sha,
      node_id: nodeId("Commit", commit.sha),
      html_url: `${repoHtml(site)}/commit/${commit.sha}`,
      comments_url: `${url}/comments`,
      commit: {
        url: `${repoApi(site)}/git/commits/${commit.sha}`,
        author: commit.author,
        committer: commit.committer,
        message: commit.message,
        comment_count: 0,
        tree: { sha: commit.tree, url: `${repoApi(site)}/git/trees/${commit.tree}` },
      },
      author: null,
      committer: null,
      parents: commit.parents.map((sha) => ({
        sha,
        url: `${repoApi(site)}/commits/${sha}`,
        html_url: `${repoHtml(site)}/commit/${sha}`,
      })),
    },
    { url: repoApi(site), now: site.now() },
  );
}

function repositoryJson(site: Site): Record<string, unknown> {
  return {
    id: site.repositoryId,
    node_id: nodeId("Repository", site.repositoryId),
    name: site.name,
    full_name: `${site.owner}/${site.name}`,
    owner: ownerUser(site),
    private: true,
    html_url: repoHtml(site),
    url: repoApi(site),
    clone_url: `${repoHtml(site)}.git`,
    default_branch: "main",
    visibility: "private",
  };
}

export function pullRequestJson(site: Site, pr: PullRequestState, schema: JsonSchema | undefined): unknown {
  const { seed } = pr;
  const url = `${repoApi(site)}/pulls/${seed.number}`;
  const html = `${repoHtml(site)}/pull/${seed.number}`;
  const side = (ref: string, sha: string) => ({
    label: `${site.owner}:${ref}`,
    ref,
    sha,
    user: ownerUser(site),
    repo: repositoryJson(site),
  });
  return conform(
    schema,
    {
      url,
      id: seed.number + 500_000,
      node_id: nodeId("PullRequest", seed.number + 500_000),
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: `${repoApi(site)}/issues/${seed.number}`,
      commits_url: `${url}/commits`,
      review_comments_url: `${url}/comments`,
      review_comment_url: `${repoApi(site)}/pulls/comments{/number}`,
      comments_url: `${repoApi(site)}/issues/${seed.number}/comments`,
      statuses_url: `${repoApi(site)}/statuses/${seed.headSha}`,
      number: seed.number,
      state: pr.mergedAt ? "closed" : "open",
      locked: false,
      title: seed.title ?? `Pull request #${seed.number}`,
      user: ownerUser(site),
      body: null,
      labels: [],
      milestone: null,
      created_at: pr.createdAt,
      updated_at: pr.mergedAt ?? pr.createdAt,
      closed_at: pr.mergedAt ?? null,
      merged_at: pr.mergedAt ?? null,
      merge_commit_sha: pr.mergeCommitSha ?? null,
      assignee: null,
      head: side(seed.headRef, seed.headSha),
      base: side(seed.baseRef, seed.baseSha),
      _links: {
        self: { href: url },
        html: { href: html },
        issue: { href: `${repoApi(site)}/issues/${seed.number}` },
        comments: { href: `${repoApi(site)}/issues/${seed.number}/comments` },
        review_comments: { href: `${url}/comments` },
        review_comment: { href: `${repoApi(site)}/pulls/comments{/number}` },
        commits: { href: `${url}/commits` },
        statuses: { href: `${repoApi(site)}/statuses/${seed.headSha}` },
      },
      author_association: "OWNER",
      auto_merge: null,
      draft: false,
    },
    { url: repoApi(site), now: site.now() },
  );
}
