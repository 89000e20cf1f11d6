/**
 * Git's smart HTTP protocol for the stand-in's bare repository, served by `git http-backend` (the CGI
 * program that ships with git) behind GitHub's checks: the token as the password of HTTP Basic
 * (`x-access-token:<token>`, as actions/checkout and train-and-commit send it), `contents: read` to
 * fetch and `contents: write` to push.
 */
import { start } from "@textcat/kit/process";
import type { IncomingMessage, ServerResponse } from "node:http";
import { basename, dirname } from "node:path";
import { allows, GIT_REQUIREMENTS } from "./permissions.js";
import type { GitHubStore } from "./store.js";
import { tokenFromAuthorization, type TokenStore } from "./tokens.js";

export interface GitHttpDeps {
  owner: string;
  name: string;
  bareRepoDir: string;
  tokens: TokenStore;
  store: GitHubStore;
}

/** `/<owner>/<name>.git/<rest>` (or without `.git`), the clone URL GitHub gives a repository. */
export function gitPathOf(pathname: string, owner: string, name: string): string | undefined {
  for (const prefix of [`/${owner}/${name}.git/`, `/${owner}/${name}/`]) {
    if (pathname.startsWith(prefix)) return pathname.slice(prefix.length - 1);
  }
  return undefined;
}

type Service = "git-upload-pack" | "git-receive-pack";

function serviceOf(rest: string, query: URLSearchParams): Service | undefined {
  if (rest === "/info/refs") {
    const service = query.get("service");
    return service === "git-upload-pack" || service === "git-receive-pack" ? service : undefined;
  }
  if (rest === "/git-upload-pack") return "git-upload-pack";
  if (rest === "/git-receive-pack") return "git-receive-pack";
  return undefined;
}

function sendText(
  response: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
  response.end(text);
}

/**
 * GitHub's refusals, as git shows them ("remote: <body>" then git's own line):
 * - no or unknown credentials: 401 "Invalid username or token. Password authentication is not
 *   supported for Git operations." → `fatal: Authentication failed for '<url>'`;
 * - a token without the permission: 403 "Permission to <owner>/<repo>.git denied to
 *   github-actions[bot]." → `fatal: unable to access '<url>': The requested URL returned error: 403`
 *   (both quoted from git output in public issues, e.g. github.com/ad-m/github-push-action/issues/96).
 * The dumb protocol and anything else under the repository is 404: GitHub serves smart HTTP only.
 */
export async function handleGit(
  deps: GitHttpDeps,
  request: IncomingMessage,
  response: ServerResponse,
  rest: string,
  query: URLSearchParams,
): Promise<void> {
  const method = request.method ?? "GET";
  const path = `/${deps.owner}/${deps.name}.git${rest}`;
  const service = serviceOf(rest, query);
  const record = (status: number, message?: string, jobName?: string) =>
    deps.store.requests.push({ method, path, operation: service, status, message, jobName });
  if (!service) {
    record(404, "Not Found");
    return sendText(response, 404, "Not Found\n");
  }
  const token = tokenFromAuthorization(request.headers.authorization);
  const issued = token ? deps.tokens.lookup(token) : undefined;
  if (!issued) {
    const message = "Invalid username or token. Password authentication is not supported for Git operations.";
    record(401, message);
    return sendText(response, 401, `${message}\n`, { "www-authenticate": 'Basic realm="GitHub"' });
  }
  const requirement = service === "git-receive-pack" ? GIT_REQUIREMENTS.push : GIT_REQUIREMENTS.fetch;
  if (!allows(issued.grants, requirement)) {
    const message = `Permission to ${deps.owner}/${deps.name}.git denied to github-actions[bot].`;
    record(403, message, issued.jobName);
    return sendText(response, 403, `${message}\n`);
  }
  const status = await runHttpBackend(deps.bareRepoDir, request, response, rest, query);
  record(status, undefined, issued.jobName);
}

/** Runs `git http-backend` for one request and relays its CGI answer; resolves with its status. */
function runHttpBackend(
  bareRepoDir: string,
  request: IncomingMessage,
  response: ServerResponse,
  rest: string,
  query: URLSearchParams,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const { child, exited } = start("git", ["http-backend"], {
      env: {
        PATH: process.env.PATH ?? "",
        GIT_PROJECT_ROOT: dirname(bareRepoDir),
        GIT_HTTP_EXPORT_ALL: "1",
        PATH_INFO: `/${basename(bareRepoDir)}${rest}`,
        REQUEST_METHOD: request.method ?? "GET",
        QUERY_STRING: query.toString(),
        CONTENT_TYPE: request.headers["content-type"] ?? "",
        // http-backend enables receive-pack only for an authenticated user (http.receivepack).
        REMOTE_USER: "x-access-token",
        REMOTE_ADDR: request.socket.remoteAddress ?? "127.0.0.1",
        GIT_PROTOCOL: String(request.headers["git-protocol"] ?? ""),
        ...(request.headers["content-encoding"]
          ? { HTTP_CONTENT_ENCODING: String(request.headers["content-encoding"]) }
          : {}),
      },
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    if (child.stdin) {
      request.pipe(child.stdin);
      child.stdin.on("error", () => {});
    }
    let head = Buffer.alloc(0);
    let status = 200;
    let headersSent = false;
    child.stdout?.on("data", (chunk: Buffer) => {
      if (headersSent) {
        response.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, end).toString("latin1").split("\r\n")) {
        const colon = line.indexOf(":");
        if (colon < 0) continue;
        const key = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        if (key === "status") status = Number.parseInt(value, 10) || 200;
        else headers[key] = value;
      }
      response.writeHead(status, headers);
      headersSent = true;
      response.write(head.subarray(end + 4));
    });
    exited.then(({ code }) => {
      if (!headersSent) {
        status = 500;
        sendText(response, 500, `git http-backend failed (exit ${code}): ${stderr.trim()}\n`);
      } else {
        response.end();
      }
      resolve(status);
    }, reject);
  });
}
