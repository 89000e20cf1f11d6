import type { IncomingHttpHeaders } from "node:http";
import { AwsError } from "../aws-error.js";
import { parseJsonObject } from "../http-util.js";
import { sandboxSpec } from "./function-model.js";
import type { Invoker } from "./invoker.js";
import { PROVISIONED_CONCURRENCY, PROVISIONED_CONCURRENCY_ROUTES } from "./provisioned-concurrency.js";
import type { LambdaService } from "./lambda-service.js";

export interface LambdaRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface LambdaReply {
  status: number;
  body?: unknown;
  raw?: Buffer;
  headers?: Record<string, string>;
}

export type LambdaHandler = (
  service: LambdaService,
  invoker: Invoker,
  request: LambdaRequest,
  params: string[],
) => Promise<unknown>;

const FUNCTIONS = "/2015-03-31/functions";
const json = (request: LambdaRequest): Record<string, unknown> =>
  parseJsonObject(request.body, "InvalidRequestContentException");

const ROUTES: [string, RegExp, LambdaHandler][] = [
  ["POST", /^\/2015-03-31\/functions\/?$/, (s, _i, r) => s.createFunction(json(r))],
  ["GET", /^\/2015-03-31\/functions\/?$/, async (s) => s.listFunctions()],
  ["GET", /^\/2015-03-31\/functions\/([^/]+)$/, async (s, _i, r, [n = ""]) => s.getFunction(n, r.query)],
  ["DELETE", /^\/2015-03-31\/functions\/([^/]+)$/, (s, _i, r, [n = ""]) => s.deleteFunction(n, r.query)],
  [
    "GET",
    /^\/2015-03-31\/functions\/([^/]+)\/configuration$/,
    async (s, _i, r, [n = ""]) => s.getFunctionConfiguration(n, r.query),
  ],
  [
    "PUT",
    /^\/2015-03-31\/functions\/([^/]+)\/configuration$/,
    (s, _i, r, [n = ""]) => s.updateFunctionConfiguration(n, json(r)),
  ],
  [
    "PUT",
    /^\/2015-03-31\/functions\/([^/]+)\/code$/,
    (s, _i, r, [n = ""]) => s.updateFunctionCode(n, json(r)),
  ],
  [
    "POST",
    /^\/2015-03-31\/functions\/([^/]+)\/versions$/,
    async (s, _i, r, [n = ""]) => s.publishVersion(n, json(r)),
  ],
  [
    "GET",
    /^\/2015-03-31\/functions\/([^/]+)\/versions$/,
    async (s, _i, r, [n = ""]) => s.listVersions(n, r.query),
  ],
  [
    "POST",
    /^\/2015-03-31\/functions\/([^/]+)\/aliases$/,
    async (s, _i, r, [n = ""]) => s.createAlias(n, json(r)),
  ],
  [
    "GET",
    /^\/2015-03-31\/functions\/([^/]+)\/aliases$/,
    async (s, _i, r, [n = ""]) => s.listAliases(n, r.query),
  ],
  [
    "GET",
    /^\/2015-03-31\/functions\/([^/]+)\/aliases\/([^/]+)$/,
    async (s, _i, _r, [n = "", a = ""]) => s.getAlias(n, a),
  ],
  [
    "PUT",
    /^\/2015-03-31\/functions\/([^/]+)\/aliases\/([^/]+)$/,
    async (s, _i, r, [n = "", a = ""]) => s.updateAlias(n, a, json(r)),
  ],
  [
    "DELETE",
    /^\/2015-03-31\/functions\/([^/]+)\/aliases\/([^/]+)$/,
    async (s, _i, _r, [n = "", a = ""]) => s.deleteAlias(n, a),
  ],
  ["POST", /^\/2015-03-31\/functions\/([^/]+)\/invocations$/, (s, i, r, [n = ""]) => invoke(s, i, r, n)],
];

export function isLambdaPath(path: string): boolean {
  return path.startsWith(FUNCTIONS) || path.startsWith(PROVISIONED_CONCURRENCY);
}

export async function handleLambda(
  service: LambdaService,
  invoker: Invoker,
  request: LambdaRequest,
): Promise<LambdaReply> {
  const matching = [...ROUTES, ...PROVISIONED_CONCURRENCY_ROUTES].filter(([, pattern]) =>
    pattern.test(request.path),
  );
  const route = matching.find(([method]) => method === request.method);
  if (!route) {
    if (matching.length > 0)
      throw new AwsError(
        "MethodNotAllowedException",
        `${request.method} is not allowed on ${request.path}`,
        405,
      );
    throw new AwsError(
      "UnknownOperationException",
      `No Lambda operation at ${request.method} ${request.path}`,
      404,
    );
  }
  const params = (route[1].exec(request.path) ?? []).slice(1).map((part) => decodeURIComponent(part));
  const result = await route[2](service, invoker, request, params);
  if (isReply(result)) return result;
  return { status: 200, body: result };
}

function isReply(value: unknown): value is LambdaReply {
  return typeof value === "object" && value !== null && typeof (value as LambdaReply).status === "number";
}

async function invoke(
  service: LambdaService,
  invoker: Invoker,
  request: LambdaRequest,
  ref: string,
): Promise<LambdaReply> {
  const invocationType =
    (request.headers["x-amz-invocation-type"] as string | undefined) ?? "RequestResponse";
  if (!["RequestResponse", "Event", "DryRun"].includes(invocationType)) {
    throw new AwsError("InvalidParameterValueException", `Invalid InvocationType: ${invocationType}`, 400);
  }
  const payload = request.body.length === 0 ? Buffer.from("{}") : request.body;
  try {
    JSON.parse(payload.toString("utf8"));
  } catch {
    throw new AwsError(
      "InvalidRequestContentException",
      "Could not parse request body into json: the payload is not valid JSON",
      400,
    );
  }
  const { fn, record } = service.resolveInvocation(ref, request.query);
  const headers = { "x-amz-executed-version": record.version };
  if (invocationType === "DryRun") return { status: 204, headers };
  const requestId = crypto.randomUUID();
  const spec = sandboxSpec(fn, record, request.query.get("Qualifier"));
  const clientContext = request.headers["x-amz-client-context"] as string | undefined;
  const running = invoker.invoke(spec, payload, requestId, clientContext);
  if (invocationType === "Event") {
    running.catch(() => undefined);
    return { status: 202, headers: { ...headers, "x-amzn-requestid": requestId } };
  }
  const result = await running;
  const replyHeaders: Record<string, string> = { ...headers, "x-amzn-requestid": requestId };
  if (result.functionError) replyHeaders["x-amz-function-error"] = result.functionError;
  if (request.headers["x-amz-log-type"] === "Tail") {
    replyHeaders["x-amz-log-result"] = Buffer.from(result.logTail).toString("base64");
  }
  return { status: 200, raw: result.payload, headers: replyHeaders };
}

export { FUNCTIONS };
