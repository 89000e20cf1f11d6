/**
 * Checks a REST request against the operation GitHub's description gives for its method and path:
 * the path and query parameters and the JSON body, answered as GitHub answers them.
 */
import type { ErrorObject } from "ajv";
import {
  describedOperations,
  schemaValidator,
  type DescribedOperation,
  type JsonSchema,
  type Parameter,
} from "./description.js";
import { GitHubError, notFound } from "./github-error.js";

export interface MatchedRequest {
  operation: DescribedOperation;
  /** Path and query parameters, typed per their schemas (`issue_number` a number). */
  params: Record<string, string | number | boolean>;
}

interface Route {
  operation: DescribedOperation;
  pattern: RegExp;
  names: string[];
}

let routes: Route[] | undefined;

function allRoutes(): Route[] {
  routes ??= [...describedOperations().values()].map((operation) => {
    const names: string[] = [];
    const source = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      names.push(name);
      const multi = operation.parameters.find((p) => p.name === name)?.multiSegment;
      return multi ? "(.+)" : "([^/]+)";
    });
    return { operation, pattern: new RegExp(`^${source}$`), names };
  });
  return routes;
}

/**
 * The described operation this request names, or GitHub's 404 "Not Found": a path the description
 * has no served operation for, or a method the path does not take.
 */
export function matchOperation(method: string, path: string, query: URLSearchParams): MatchedRequest {
  for (const route of allRoutes()) {
    if (route.operation.method !== method) continue;
    const match = route.pattern.exec(path);
    if (!match) continue;
    const raw: Record<string, string> = {};
    route.names.forEach((name, index) => (raw[name] = decodeURIComponent(match[index + 1] ?? "")));
    return { operation: route.operation, params: typedParams(route.operation, raw, query) };
  }
  throw notFound();
}

function typedParams(
  operation: DescribedOperation,
  pathValues: Record<string, string>,
  query: URLSearchParams,
): Record<string, string | number | boolean> {
  const params: Record<string, string | number | boolean> = {};
  for (const parameter of operation.parameters) {
    if (parameter.in !== "path" && parameter.in !== "query") continue;
    const raw =
      parameter.in === "path" ? pathValues[parameter.name] : (query.get(parameter.name) ?? undefined);
    if (raw === undefined) {
      if (parameter.required) throw invalidRequest(operation, `"${parameter.name}" wasn't supplied.`);
      continue;
    }
    const value = coerce(raw, parameter.schema);
    const valid = schemaValidator(parameter.schema);
    if (!valid(value)) {
      // GitHub routes a path segment of the wrong type nowhere (e.g. /issues/abc/comments): 404.
      if (parameter.in === "path") throw notFound();
      throw invalidRequest(operation, describeError(valid.errors?.[0], parameter.name, raw));
    }
    params[parameter.name] = value;
  }
  return params;
}

function coerce(raw: string, schema: JsonSchema): string | number | boolean {
  if ((schema.type === "integer" || schema.type === "number") && /^-?\d+(\.\d+)?$/.test(raw))
    return Number(raw);
  if (schema.type === "boolean" && (raw === "true" || raw === "false")) return raw === "true";
  return raw;
}

/**
 * The JSON body, checked against the operation's request-body schema. An unparsable body is 400
 * "Problems parsing JSON", a non-object 400 "Body should be a JSON object", and a schema violation
 * 422 "Invalid request.\n\n<what>", worded as GitHub words it: `"state" wasn't supplied.`,
 * `For 'properties/body', 42 is not a string.` (seen in GitHub's answers quoted in public issues).
 */
export function checkBody(operation: DescribedOperation, text: string): Record<string, unknown> {
  if (!operation.bodySchema) return {};
  let body: unknown;
  if (text.trim() === "") {
    body = {};
  } else {
    try {
      body = JSON.parse(text);
    } catch {
      throw new GitHubError(400, "Problems parsing JSON", operation.documentationUrl);
    }
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new GitHubError(400, "Body should be a JSON object", operation.documentationUrl);
  }
  const validate = operation.validateBody;
  if (validate && !validate(body)) {
    throw invalidRequest(operation, describeError(firstError(validate.errors), undefined, body));
  }
  return body as Record<string, unknown>;
}

/** `required` first (GitHub names what is missing before what is malformed). */
function firstError(errors: ErrorObject[] | null | undefined): ErrorObject | undefined {
  return errors?.find((e) => e.keyword === "required") ?? errors?.[0];
}

function describeError(error: ErrorObject | undefined, name: string | undefined, root: unknown): string {
  if (!error) return "The request does not match the description.";
  if (error.keyword === "required") {
    return `"${String((error.params as { missingProperty: string }).missingProperty)}" wasn't supplied.`;
  }
  const field = name ?? error.instancePath.split("/").filter(Boolean).join("/");
  const value = name ? root : valueAt(root, error.instancePath);
  const where = `For 'properties/${field}', ${JSON.stringify(value)}`;
  if (error.keyword === "type") {
    const type = String((error.params as { type: string }).type).split(",");
    return `${where} is not ${type.map(article).join(" or ")}.`;
  }
  if (error.keyword === "enum") {
    const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
    return `${where} is not a member of [${allowed.map((v) => JSON.stringify(v)).join(", ")}].`;
  }
  return `${where} ${error.message ?? "is invalid"}.`;
}

function article(type: string): string {
  if (type === "null") return "null";
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const key of pointer.split("/").filter(Boolean)) {
    node = (node as Record<string, unknown> | undefined)?.[key];
  }
  return node;
}

function invalidRequest(operation: DescribedOperation, what: string): GitHubError {
  return new GitHubError(422, `Invalid request.\n\n${what}`, operation.documentationUrl);
}

export type { Parameter };
