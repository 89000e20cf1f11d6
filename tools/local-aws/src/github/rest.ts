/**
 * One REST request, in GitHub's order: credentials (401), route (404), repository (404), the token's
 * permission (403), parameters and body against the description (400/422), then the operation.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { BareRepo } from "./bare-repo.js";
import {
  GitHubError,
  badCredentials,
  notFound,
  requiresAuthentication,
  sendGitHubError,
  sendGitHubJson,
} from "./github-error.js";
import { HANDLERS } from "./handlers.js";
import { acceptedPermissionsHeader, allows, REQUIRED_PERMISSIONS } from "./permissions.js";
import { checkBody, matchOperation } from "./request-check.js";
import type { Site } from "./resources.js";
import type { GitHubStore } from "./store.js";
import { tokenFromAuthorization, type TokenStore } from "./tokens.js";

export interface RestDeps {
  site: Site;
  store: GitHubStore;
  tokens: TokenStore;
  repo: BareRepo;
  now: () => Date;
  /** Where the API is mounted on the server, e.g. `/api/v3`. */
  prefix: string;
}

const MAX_BODY_BYTES = 1024 * 1024;

export async function handleRest(
  deps: RestDeps,
  request: IncomingMessage,
  response: ServerResponse,
  body: Buffer,
): Promise<void> {
  const method = request.method ?? "GET";
  const url = new URL(request.url ?? "/", deps.site.apiUrl);
  const path = url.pathname.slice(deps.prefix.length) || "/";
  let operationId: string | undefined;
  let jobName: string | undefined;
  try {
    const token = tokenFromAuthorization(request.headers.authorization);
    if (!token) throw requiresAuthentication();
    const issued = deps.tokens.lookup(token);
    if (!issued) throw badCredentials();
    jobName = issued.jobName;
    const matched = matchOperation(method, path, url.searchParams);
    operationId = matched.operation.id;
    const { owner, repo } = matched.params;
    if (owner !== deps.site.owner || repo !== deps.site.name) throw notFound();
    const requirement = REQUIRED_PERMISSIONS[matched.operation.id];
    const accepted = { "x-accepted-github-permissions": acceptedPermissionsHeader(requirement) };
    if (!allows(issued.grants, requirement)) {
      throw new GitHubError(
        403,
        "Resource not accessible by integration",
        matched.operation.documentationUrl,
        accepted,
      );
    }
    if (body.length > MAX_BODY_BYTES)
      throw new GitHubError(413, "Payload too large", matched.operation.documentationUrl);
    const parsed = checkBody(matched.operation, body.toString("utf8"));
    const answer = await HANDLERS[matched.operation.id]({
      site: deps.site,
      store: deps.store,
      repo: deps.repo,
      operation: matched.operation,
      params: matched.params,
      body: parsed,
      url,
      jobName,
      now: deps.now(),
    });
    sendGitHubJson(response, answer.status, answer.body, { ...accepted, ...answer.headers });
    deps.store.requests.push({ method, path, operation: operationId, status: answer.status, jobName });
  } catch (error) {
    // A 500 here is a defect of the stand-in itself, recorded so a test sees it.
    const failure =
      error instanceof GitHubError ? error : new GitHubError(500, `stand-in failure: ${String(error)}`);
    sendGitHubError(response, failure);
    deps.store.requests.push({
      method,
      path,
      operation: operationId,
      status: failure.status,
      message: failure.message,
      jobName,
    });
  }
}
