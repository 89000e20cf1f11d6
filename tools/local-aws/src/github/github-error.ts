/**
 * GitHub's REST error answer: `{"message", "documentation_url", "status"}`, e.g.
 * `{"message":"Resource not accessible by integration","documentation_url":"https://docs.github.com/rest/…","status":"403"}`
 * (the shape GitHub sends today, `status` as a string; the description's `basic-error` schema).
 * "Troubleshooting the REST API" (https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api)
 * names the messages used here: "Problems parsing JSON" and "Body should be a JSON object" (400),
 * "Invalid request" (422, a parameter missing or of the wrong type), "Validation Failed" (422, with
 * `errors[].code`), "Resource not accessible by integration" (403, token without the permission).
 */
import type { ServerResponse } from "node:http";

export const REST_DOCS = "https://docs.github.com/rest";

export interface ValidationErrorItem {
  resource: string;
  field: string;
  code: "missing" | "missing_field" | "invalid" | "already_exists" | "unprocessable" | "custom";
  message?: string;
}

export class GitHubError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly documentationUrl: string = REST_DOCS,
    readonly headers: Record<string, string> = {},
    readonly errors?: ValidationErrorItem[],
  ) {
    super(message);
    this.name = "GitHubError";
  }

  body(): Record<string, unknown> {
    return {
      message: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
      documentation_url: this.documentationUrl,
      status: String(this.status),
    };
  }
}

export const notFound = (): GitHubError => new GitHubError(404, "Not Found");

/** 401 for a request without a token ("Requires authentication") or with one GitHub never issued. */
export const badCredentials = (): GitHubError => new GitHubError(401, "Bad credentials");
export const requiresAuthentication = (): GitHubError => new GitHubError(401, "Requires authentication");

/** "Validation Failed" with one `errors[]` entry, e.g. a description over 140 characters. */
export function validationFailed(documentationUrl: string, item: ValidationErrorItem): GitHubError {
  return new GitHubError(422, "Validation Failed", documentationUrl, {}, [item]);
}

export function sendGitHubJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(text)),
    "x-github-media-type": "github.v3; format=json",
    "x-github-api-version-selected": "2022-11-28",
    "x-github-request-id": crypto.randomUUID().toUpperCase(),
    ...headers,
  });
  response.end(text);
}

export function sendGitHubError(response: ServerResponse, error: GitHubError): void {
  sendGitHubJson(response, error.status, error.body(), error.headers);
}
