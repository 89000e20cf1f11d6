/** Starts the GitHub stand-in: the REST API under `/api/v3` and git smart HTTP for one repository. */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { BareRepo, isoSeconds } from "./bare-repo.js";
import { describedOperations } from "./description.js";
import { gitPathOf, handleGit } from "./git-http.js";
import { GitHubError, notFound, sendGitHubError } from "./github-error.js";
import { handleRest } from "./rest.js";
import type { Site } from "./resources.js";
import { renderReviewerView } from "./reviewer-view.js";
import { GitHubStore } from "./store.js";
import { TokenStore } from "./tokens.js";
import type { GitHubStandIn, GitHubStandInOptions, PullRequestSeed } from "./types.js";

const API_PREFIX = "/api/v3";
const MAX_REST_BODY = 4 * 1024 * 1024;

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_REST_BODY) throw new GitHubError(413, "Payload too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function startGitHubStandIn(options: GitHubStandInOptions): Promise<GitHubStandIn> {
  describedOperations(); // read the description before the first request, not during it
  const { owner, name } = options.repository;
  const clock = options.now ?? (() => new Date());
  const store = new GitHubStore();
  const tokens = new TokenStore();
  const repo = new BareRepo(options.bareRepoDir);
  const site: Site = {
    serverUrl: "",
    apiUrl: "",
    owner,
    name,
    repositoryId: options.repository.id ?? 1,
    ownerId: options.repository.ownerId ?? 1,
    now: () => isoSeconds(clock()),
  };
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", site.serverUrl);
    const log = () => {
      if (options.verbose)
        process.stderr.write(`[github] ${request.method} ${url.pathname} → ${response.statusCode}\n`);
    };
    response.on("finish", log);
    const fail = (error: unknown) => {
      if (!response.headersSent)
        sendGitHubError(response, error instanceof GitHubError ? error : new GitHubError(500, String(error)));
      else response.destroy();
    };
    if (url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`)) {
      readAll(request)
        .then((body) =>
          handleRest({ site, store, tokens, repo, now: clock, prefix: API_PREFIX }, request, response, body),
        )
        .catch(fail);
      return;
    }
    const rest = gitPathOf(url.pathname, owner, name);
    if (rest === undefined) return sendGitHubError(response, notFound());
    handleGit(
      { owner, name, bareRepoDir: options.bareRepoDir, tokens, store },
      request,
      response,
      rest,
      url.searchParams,
    ).catch(fail);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  site.serverUrl = `http://127.0.0.1:${port}`;
  site.apiUrl = `${site.serverUrl}${API_PREFIX}`;

  return {
    serverUrl: site.serverUrl,
    apiUrl: site.apiUrl,
    gitUrl: `${site.serverUrl}/${owner}/${name}.git`,
    issueToken: (request) => tokens.issue(request),
    openPullRequest: (seed: PullRequestSeed) => openPullRequest(store, repo, seed, site.now()),
    mergePullRequest: (number, mergeCommitSha) => {
      const pr = store.pullRequests.get(number);
      if (!pr) throw new Error(`pull request #${number} was never opened`);
      pr.mergeCommitSha = mergeCommitSha;
      pr.mergedAt = site.now();
    },
    records: store,
    reviewerView: () => renderReviewerView(store),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function openPullRequest(
  store: GitHubStore,
  repo: BareRepo,
  seed: PullRequestSeed,
  now: string,
): Promise<void> {
  const state = { seed, commits: [] as string[], createdAt: now };
  store.pullRequests.set(seed.number, state);
  return repo.commitsBetween(seed.baseSha, seed.headSha).then((commits) => {
    state.commits = commits;
  });
}
