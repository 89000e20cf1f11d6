/**
 * What each served operation does to the stand-in's records, and what it answers. The behaviour quoted
 * beside each one is from the operation's own text in GitHub's description (@octokit/openapi), also
 * its page at the operation's documentation_url (e.g. https://docs.github.com/rest/deployments/statuses#create-a-deployment-status).
 * GitHub's error messages ("No commit found for SHA: …", "No ref found for: …", "Conflict: Commit
 * status checks failed for main.") are as GitHub answers them in public issues and client tests.
 */
import type { BareRepo } from "./bare-repo.js";
import { isoSeconds } from "./bare-repo.js";
import type { DescribedOperation, JsonSchema, OperationId } from "./description.js";
import { GitHubError, notFound, validationFailed } from "./github-error.js";
import { paginate } from "./pagination.js";
import {
  commentJson,
  commitJson,
  deploymentJson,
  deploymentStatusJson,
  pullRequestJson,
  statusJson,
  type Site,
} from "./resources.js";
import type { GitHubStore } from "./store.js";

export interface RestCall {
  site: Site;
  store: GitHubStore;
  repo: BareRepo;
  operation: DescribedOperation;
  params: Record<string, string | number | boolean>;
  body: Record<string, unknown>;
  url: URL;
  jobName?: string;
  now: Date;
}

export interface RestAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

type Handler = (call: RestCall) => Promise<RestAnswer>;

const itemsSchema = (schema: JsonSchema | undefined) => schema?.items as JsonSchema | undefined;

/** GitHub rejects descriptions over 140 characters ("The maximum description length is 140 characters"). */
function checkDescription(call: RestCall, resource: string, description: unknown): void {
  if (typeof description === "string" && description.length > 140) {
    throw validationFailed(call.operation.documentationUrl, {
      resource,
      field: "description",
      code: "custom",
      message: "description is too long (maximum is 140 characters)",
    });
  }
}

/** "No commit found for SHA: <sha>" (422), as GitHub answers a status or PR lookup on an unknown commit. */
async function commitOrFail(call: RestCall, ref: string): Promise<string> {
  const sha = await call.repo.resolveCommit(ref);
  if (!sha) throw new GitHubError(422, `No commit found for SHA: ${ref}`, call.operation.documentationUrl);
  return sha;
}

function pullRequestOrFail(call: RestCall, number: number) {
  const pr = call.store.pullRequests.get(number);
  if (!pr) throw notFound();
  return pr;
}

function page<T>(call: RestCall, items: readonly T[], toJson: (item: T) => unknown): RestAnswer {
  const result = paginate(items, call.url, call.params);
  return { status: 200, body: result.items.map(toJson), headers: result.link ? { link: result.link } : {} };
}

const createCommitStatus: Handler = async (call) => {
  const sha = await commitOrFail(call, String(call.params.sha));
  checkDescription(call, "Status", call.body.description);
  const record = {
    id: call.store.nextId(),
    sha,
    context: typeof call.body.context === "string" ? call.body.context : "default",
    state: String(call.body.state),
    description: (call.body.description as string | null | undefined) ?? null,
    targetUrl: (call.body.target_url as string | null | undefined) ?? null,
    createdAt: isoSeconds(call.now),
    jobName: call.jobName,
  };
  call.store.statuses.push(record);
  const body = statusJson(call.site, record, call.operation.responses["201"]);
  return { status: 201, body, headers: { location: (body as { url: string }).url } };
};

/** "Statuses are returned in reverse chronological order" (List commit statuses for a reference). */
const listCommitStatusesForRef: Handler = async (call) => {
  const sha = await call.repo.resolveCommit(String(call.params.ref));
  const statuses = call.store.statuses.filter((s) => s.sha === sha).reverse();
  const schema = itemsSchema(call.operation.responses["200"]);
  return page(call, statuses, (s) => statusJson(call.site, s, schema));
};

/**
 * The pull requests that brought a commit in: those it is a commit of, or whose merge commit it is
 * ("Lists the merged pull request that introduced the commit to the repository. If the commit is not
 * present in the default branch, it will return merged and open pull requests associated with the commit").
 */
const listPullRequestsAssociatedWithCommit: Handler = async (call) => {
  const sha = await commitOrFail(call, String(call.params.commit_sha));
  const pulls = [...call.store.pullRequests.values()].filter(
    (pr) => pr.mergeCommitSha === sha || pr.commits.includes(sha),
  );
  const schema = itemsSchema(call.operation.responses["200"]);
  return page(call, pulls, (pr) => pullRequestJson(call.site, pr, schema));
};

/** "Lists a maximum of 250 commits for a pull request", oldest first. */
const listPullRequestCommits: Handler = async (call) => {
  const pr = pullRequestOrFail(call, Number(call.params.pull_number));
  const commits = [];
  for (const sha of pr.commits.slice(0, 250)) {
    const info = await call.repo.commit(sha);
    if (info) commits.push(info);
  }
  const schema = itemsSchema(call.operation.responses["200"]);
  return page(call, commits, (c) => commitJson(call.site, c, schema));
};

/**
 * A deployment of a ref resolved to its commit; an unknown ref is 422 "No ref found for: <ref>".
 * Without `required_contexts` GitHub first verifies every status context on the commit succeeded
 * (409 otherwise); the actions pass `[]` to skip that.
 */
const createDeployment: Handler = async (call) => {
  const ref = String(call.body.ref);
  const sha = await call.repo.resolveCommit(ref);
  if (!sha) throw new GitHubError(422, `No ref found for: ${ref}`, call.operation.documentationUrl);
  if (call.body.required_contexts === undefined) {
    const latest = new Map<string, string>();
    for (const s of call.store.statuses.filter((s) => s.sha === sha)) latest.set(s.context, s.state);
    const failing = [...latest].filter(([, state]) => state !== "success").map(([context]) => context);
    if (failing.length > 0) {
      throw new GitHubError(
        409,
        `Conflict: Commit status checks failed for ${ref}.`,
        call.operation.documentationUrl,
        {},
        [{ resource: "Deployment", field: "required_contexts", code: "invalid" }],
      );
    }
  }
  const environment = typeof call.body.environment === "string" ? call.body.environment : "production";
  const record = {
    id: call.store.nextId(),
    ref,
    sha,
    environment,
    description: (call.body.description as string | null | undefined) ?? "",
    // "Specifies if the given environment is one that end-users directly interact with. Default:
    // true when environment is production and false otherwise."
    productionEnvironment:
      typeof call.body.production_environment === "boolean"
        ? call.body.production_environment
        : environment === "production",
    createdAt: isoSeconds(call.now),
    jobName: call.jobName,
  };
  call.store.deployments.push(record);
  return { status: 201, body: deploymentJson(call.site, record, call.operation.responses["201"]) };
};

/** A body field as text: "" when absent, JSON for anything that is not a string. */
function textOf(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * A status on a deployment. With `auto_inactive` (default true) a success "adds a new inactive status
 * to all prior non-transient, non-production environment deployments with the same repository and
 * environment name … only added to deployments that had a success state".
 */
const createDeploymentStatus: Handler = async (call) => {
  const deployment = call.store.deployments.find((d) => d.id === Number(call.params.deployment_id));
  if (!deployment) throw notFound();
  checkDescription(call, "DeploymentStatus", call.body.description);
  const state = String(call.body.state);
  const logUrl = textOf(call.body.log_url ?? call.body.target_url);
  const add = (deploymentId: number, s: string, description: string) => {
    const record = {
      id: call.store.nextId(),
      deploymentId,
      state: s,
      description,
      environmentUrl: textOf(call.body.environment_url),
      logUrl,
      createdAt: isoSeconds(call.now),
      jobName: call.jobName,
    };
    call.store.deploymentStatuses.push(record);
    return record;
  };
  if (state === "success" && call.body.auto_inactive !== false) {
    for (const prior of call.store.deployments) {
      if (prior.id === deployment.id || prior.environment !== deployment.environment) continue;
      if (prior.productionEnvironment) continue;
      if (call.store.statusesFor(prior.id).at(-1)?.state === "success") add(prior.id, "inactive", "");
    }
  }
  const record = add(deployment.id, state, textOf(call.body.description));
  const body = deploymentStatusJson(
    call.site,
    record,
    deployment.environment,
    call.operation.responses["201"],
  );
  return { status: 201, body, headers: { location: (body as { url: string }).url } };
};

const listComments: Handler = async (call) => {
  const issueNumber = Number(call.params.issue_number);
  pullRequestOrFail(call, issueNumber);
  const since = typeof call.params.since === "string" ? call.params.since : undefined;
  const comments = call.store.comments.filter(
    (c) => c.issueNumber === issueNumber && (!since || c.updatedAt >= isoSeconds(since)),
  );
  const schema = itemsSchema(call.operation.responses["200"]);
  return page(call, comments, (c) => commentJson(call.site, c, schema));
};

const createComment: Handler = async (call) => {
  const issueNumber = Number(call.params.issue_number);
  pullRequestOrFail(call, issueNumber);
  const at = isoSeconds(call.now);
  const record = {
    id: call.store.nextId(),
    issueNumber,
    body: String(call.body.body),
    createdAt: at,
    updatedAt: at,
    updates: 0,
    jobName: call.jobName,
  };
  call.store.comments.push(record);
  const body = commentJson(call.site, record, call.operation.responses["201"]);
  return { status: 201, body, headers: { location: (body as { url: string }).url } };
};

const updateComment: Handler = async (call) => {
  const comment = call.store.comments.find((c) => c.id === Number(call.params.comment_id));
  if (!comment) throw notFound();
  comment.body = String(call.body.body);
  comment.updatedAt = isoSeconds(call.now);
  comment.updates += 1;
  comment.jobName = call.jobName ?? comment.jobName;
  return { status: 200, body: commentJson(call.site, comment, call.operation.responses["200"]) };
};

export const HANDLERS: Readonly<Record<OperationId, Handler>> = {
  "repos/create-commit-status": createCommitStatus,
  "repos/list-commit-statuses-for-ref": listCommitStatusesForRef,
  "repos/list-pull-requests-associated-with-commit": listPullRequestsAssociatedWithCommit,
  "pulls/list-commits": listPullRequestCommits,
  "repos/create-deployment": createDeployment,
  "repos/create-deployment-status": createDeploymentStatus,
  "issues/list-comments": listComments,
  "issues/create-comment": createComment,
  "issues/update-comment": updateComment,
};
