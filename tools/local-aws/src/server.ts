import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { AwsError } from "./aws-error.js";
import { errorMessage } from "@textcat/kit/errors";
import { CLOUDWATCH_TARGET_PREFIX, CloudWatchService } from "./cloudwatch/cloudwatch-service.js";
import { EcrService } from "./ecr/ecr-service.js";
import { parseJsonObject, readBody, sendJson } from "./http-util.js";
import { accessKeyOf, Enforcer } from "./iam/enforce.js";
import { LocalGithubIssuer } from "./iam/github-oidc.js";
import { IdentityStore } from "./iam/identity.js";
import { handleSts, isStsRequest, stsErrorXml } from "./iam/sts-service.js";
import { iamModel, type CfnTemplate } from "./iam/template-model.js";
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
  /**
   * Enforce IAM: roles, trust and resource policies from these synthesized templates; STS hands out
   * sessions for GitHub-shaped tokens signed by `iam.issuer`. Without it every signed call is allowed.
   */
  iam?: { templates: CfnTemplate[]; administratorKey?: string; now?: () => number };
}

export interface LocalIam {
  /** Signs GitHub-shaped OIDC tokens the stand-in's STS accepts. */
  issuer: LocalGithubIssuer;
  identities: IdentityStore;
  /** Enforce these templates from now on (a redeployed stack), for sessions already handed out too. */
  reload(templates: CfnTemplate[]): void;
}

export interface LocalAws {
  endpoint: string;
  port: number;
  registryUrl: string;
  ecr: EcrService;
  lambda: LambdaService;
  cloudwatch: CloudWatchService;
  invoker: Invoker;
  /** Present when IAM is enforced. */
  iam?: LocalIam;
  close(): Promise<void>;
}

const ECR_TARGET_PREFIX = "AmazonEC2ContainerRegistry_V20150921.";
const JSON_11 = "application/x-amz-json-1.1";
const JSON_10 = "application/x-amz-json-1.0";

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
  const cloudwatch = new CloudWatchService();
  const iam = options.iam ? startIam(options.iam, account) : undefined;
  const services: Services = { ecr, lambda, cloudwatch, invoker, iam, account };

  const server = createServer((request, response) => {
    const started = Date.now();
    route(request, response, services)
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
    cloudwatch,
    invoker,
    iam,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await invoker.shutdown();
    },
  };
}

interface Services {
  ecr: EcrService;
  lambda: LambdaService;
  cloudwatch: CloudWatchService;
  invoker: Invoker;
  iam: LocalIam | undefined;
  account: { accountId: string; region: string };
}

function startIam(options: NonNullable<LocalAwsOptions["iam"]>, account: Services["account"]): LocalIam {
  const issuer = new LocalGithubIssuer();
  const model = iamModel(options.templates, account);
  const identities = new IdentityStore(model, issuer, options.now, options.administratorKey);
  return { issuer, identities, reload: (templates) => identities.replaceModel(iamModel(templates, account)) };
}

async function route(request: IncomingMessage, response: ServerResponse, services: Services): Promise<void> {
  const { ecr, lambda, cloudwatch, invoker, iam } = services;
  const target = request.headers["x-amz-target"];
  const url = new URL(request.url ?? "/", "http://local");
  const body = await readBody(request);
  const enforcer = iam ? new Enforcer(iam.identities, services.account) : undefined;
  const rawPath = (request.url ?? "/").split("?")[0] ?? "/";
  const signed = {
    method: request.method ?? "GET",
    rawPath,
    query: url.searchParams,
    headers: request.headers,
    body,
  };
  if (iam && isStsRequest(request.headers["content-type"], body)) {
    // AssumeRoleWithWebIdentity is unsigned: the web identity token is the credential.
    const token = request.headers["x-amz-security-token"];
    const xml = handleSts(
      iam.identities,
      body,
      accessKeyOf(request.headers.authorization),
      typeof token === "string" ? token : undefined,
      signed,
    );
    response.writeHead(200, { "content-type": "text/xml", "x-amzn-requestid": crypto.randomUUID() });
    response.end(xml);
    return;
  }
  if (!String(request.headers.authorization ?? "").startsWith("AWS4-HMAC-SHA256")) {
    throw new AwsError("MissingAuthenticationTokenException", "Missing Authentication Token", 403);
  }
  if (typeof target === "string" && target.startsWith(ECR_TARGET_PREFIX)) {
    const name = target.slice(ECR_TARGET_PREFIX.length);
    const operation = ecr.operations[name];
    if (!operation)
      throw new AwsError("UnknownOperationException", `Operation ${target} is not supported here`);
    const input = parseJsonObject(body, "SerializationException");
    enforcer?.ecr(signed, name, input);
    const result = await operation(input);
    return sendJson(response, 200, result, {}, JSON_11);
  }
  if (typeof target === "string" && target.startsWith(CLOUDWATCH_TARGET_PREFIX)) {
    const name = target.slice(CLOUDWATCH_TARGET_PREFIX.length);
    const operation = cloudwatch.operations[name];
    if (!operation)
      throw new AwsError("UnknownOperationException", `Operation ${target} is not supported here`);
    const input = parseJsonObject(body, "SerializationException");
    enforcer?.cloudwatch(signed, name, input);
    return sendJson(response, 200, await operation(input), {}, JSON_10);
  }
  if (isLambdaPath(url.pathname)) {
    if (enforcer) {
      const parsed = request.method === "POST" || request.method === "PUT" ? tryJson(body) : undefined;
      enforcer.lambda(signed, {
        method: request.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        body: parsed,
      });
    }
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

/** The body as JSON for reading names out of it; the operation itself reports a bad body. */
function tryJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    return parseJsonObject(body, "SerializationException");
  } catch {
    return undefined;
  }
}

function sendError(response: ServerResponse, request: IncomingMessage, error: unknown): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const target = request.headers["x-amz-target"];
  const isJsonRpc = typeof target === "string";
  const isSts = String(request.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded");
  const known =
    error instanceof AwsError
      ? error
      : new AwsError(isJsonRpc ? "ServerException" : "ServiceException", errorMessage(error), 500);
  const headers: Record<string, string> = { "x-amzn-errortype": known.type };
  if (isSts) {
    response.writeHead(known.status, { "content-type": "text/xml", "x-amzn-requestid": crypto.randomUUID() });
    response.end(stsErrorXml(known.type, known.message, known.status));
    return;
  }
  if (typeof target === "string" && target.startsWith(CLOUDWATCH_TARGET_PREFIX)) {
    // Query-compatible JSON: the SDK names the error by x-amzn-query-error (`<Code>;<Sender|Receiver>`).
    headers["x-amzn-query-error"] = `${known.type};${known.status < 500 ? "Sender" : "Receiver"}`;
    sendJson(response, known.status, { __type: known.type, message: known.message }, headers, JSON_10);
    return;
  }
  if (isJsonRpc)
    sendJson(response, known.status, { __type: known.type, message: known.message }, headers, JSON_11);
  else
    sendJson(
      response,
      known.status,
      { Type: known.status < 500 ? "User" : "Service", Message: known.message },
      headers,
    );
}
