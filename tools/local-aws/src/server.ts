import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { AwsError, errorMessage } from "./aws-error.js";
import { EcrService } from "./ecr/ecr-service.js";
import { parseJsonObject, readBody, sendJson } from "./http-util.js";
import { Invoker } from "./lambda/invoker.js";
import { handleLambda, isLambdaPath } from "./lambda/lambda-routes.js";
import { LambdaService } from "./lambda/lambda-service.js";
import { RegistryClient } from "./registry-client.js";

export interface LocalAwsOptions {
  /** 0 picks a free port. */
  port?: number;
  /** The OCI registry behind ECR, e.g. http://127.0.0.1:5000. */
  registryUrl?: string;
  region?: string;
  accountId?: string;
  /** Minimum time a Lambda update stays InProgress, so SDK waiters really poll. */
  updateDelayMs?: number;
  /** How long a newly published version stays Pending (default: updateDelayMs). */
  publishDelayMs?: number;
  /** Lambda's init phase limit; a container start counts into it here. */
  initTimeoutMs?: number;
  /** Lambda's file system is read-only except /tmp; on by default, like Lambda. */
  readOnlyRootFilesystem?: boolean;
  /** On-demand containers per version at most (8 by default); more answer TooManyRequestsException. */
  maxSandboxesPerVersion?: number;
  /** One log line per API call and the containers' output on stderr. */
  verbose?: boolean;
}

export interface LocalAws {
  endpoint: string;
  port: number;
  registryUrl: string;
  ecr: EcrService;
  lambda: LambdaService;
  invoker: Invoker;
  close(): Promise<void>;
}

const ECR_TARGET_PREFIX = "AmazonEC2ContainerRegistry_V20150921.";
const JSON_11 = "application/x-amz-json-1.1";

/** Starts the ECR + Lambda stand-in on 127.0.0.1. */
export async function startLocalAws(options: LocalAwsOptions = {}): Promise<LocalAws> {
  const registryUrl = options.registryUrl ?? "http://127.0.0.1:5000";
  const account = { accountId: options.accountId ?? "000000000000", region: options.region ?? "us-east-1" };
  const instanceId = crypto.randomUUID().slice(0, 8);
  const registry = new RegistryClient(registryUrl);
  const invoker = new Invoker({
    instanceLabel: `textcat.local-aws=${instanceId}`,
    region: account.region,
    initTimeoutMs: options.initTimeoutMs ?? 30_000,
    readOnlyRootFilesystem: options.readOnlyRootFilesystem ?? true,
    echoLogs: options.verbose ?? false,
    maxSandboxesPerVersion: options.maxSandboxesPerVersion,
  });
  const ecr = new EcrService(registry, account);
  const lambda = new LambdaService(registry, account, {
    updateDelayMs: options.updateDelayMs ?? 500,
    publishDelayMs: options.publishDelayMs ?? options.updateDelayMs ?? 500,
    prepareImage: (imageRef) => invoker.prepareImage(imageRef),
    retireSandboxes: (prefix) => invoker.retire(prefix),
    provisionedSandboxes: {
      provision: (spec, count) => invoker.provision(spec, count),
      unprovision: (key) => invoker.unprovision(key),
    },
  });

  const server = createServer((request, response) => {
    const started = Date.now();
    route(request, response, ecr, lambda, invoker)
      .catch((error: unknown) => sendError(response, request, error))
      .finally(() => {
        if (options.verbose) {
          const target = request.headers["x-amz-target"] ?? `${request.method} ${request.url}`;
          process.stderr.write(
            `local-aws ${String(target)} ${response.statusCode} ${Date.now() - started}ms\n`,
          );
        }
      });
  });
  // Clients keep connections alive for a while between calls (the SDK does): don't close them first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    registryUrl,
    ecr,
    lambda,
    invoker,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await invoker.shutdown();
    },
  };
}

async function route(
  request: IncomingMessage,
  response: ServerResponse,
  ecr: EcrService,
  lambda: LambdaService,
  invoker: Invoker,
): Promise<void> {
  if (!String(request.headers.authorization ?? "").startsWith("AWS4-HMAC-SHA256")) {
    throw new AwsError("MissingAuthenticationTokenException", "Missing Authentication Token", 403);
  }
  const target = request.headers["x-amz-target"];
  const url = new URL(request.url ?? "/", "http://local");
  const body = await readBody(request);
  if (typeof target === "string" && target.startsWith(ECR_TARGET_PREFIX)) {
    const operation = ecr.operations[target.slice(ECR_TARGET_PREFIX.length)];
    if (!operation)
      throw new AwsError("UnknownOperationException", `Operation ${target} is not supported here`);
    const result = await operation(parseJsonObject(body, "SerializationException"));
    return sendJson(response, 200, result, {}, JSON_11);
  }
  if (isLambdaPath(url.pathname)) {
    const reply = await handleLambda(lambda, invoker, {
      method: request.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: request.headers,
      body,
    });
    if (reply.raw) {
      response.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
      response.end(reply.raw);
      return;
    }
    return sendJson(response, reply.status, reply.body, reply.headers);
  }
  throw new AwsError("UnknownOperationException", `No operation at ${request.method} ${url.pathname}`, 404);
}

function sendError(response: ServerResponse, request: IncomingMessage, error: unknown): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const isEcr = typeof request.headers["x-amz-target"] === "string";
  const known =
    error instanceof AwsError
      ? error
      : new AwsError(isEcr ? "ServerException" : "ServiceException", errorMessage(error), 500);
  const headers = { "x-amzn-errortype": known.type };
  if (isEcr)
    sendJson(response, known.status, { __type: known.type, message: known.message }, headers, JSON_11);
  else
    sendJson(
      response,
      known.status,
      { Type: known.status < 500 ? "User" : "Service", Message: known.message },
      headers,
    );
}
