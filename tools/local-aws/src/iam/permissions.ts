/**
 * The one place each stand-in operation declares the IAM action it needs and the resource ARN IAM
 * checks, as the Service Authorization Reference defines them:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html.
 * An operation missing here is refused (UnmappedCall), never allowed: a new route adds its line.
 */
import type { IamCall } from "./identity.js";

export interface Account {
  accountId: string;
  region: string;
}

export class UnmappedCall extends Error {
  override name = "UnmappedCall";
}

/** ECR actions with no resource type (granted on "*" only). */
const ECR_ACCOUNT_ACTIONS = new Set(["GetAuthorizationToken"]);
const ECR_REPOSITORY_ACTIONS = new Set([
  "CreateRepository",
  "DeleteRepository",
  "DescribeImages",
  "ListImages",
  "BatchGetImage",
  "PutImage",
  "BatchDeleteImage",
]);

/** A request field as a resource name: a non-string (an object would read "[object Object]") names nothing. */
const textOr = (value: unknown, fallback: string): string => (typeof value === "string" ? value : fallback);

export const repositoryArn = (account: Account, name: string): string =>
  `arn:aws:ecr:${account.region}:${account.accountId}:repository/${name}`;

/** The calls one ECR operation makes: DescribeRepositories checks each named repository. */
export function ecrCalls(operation: string, input: Record<string, unknown>, account: Account): IamCall[] {
  const action = `ecr:${operation}`;
  if (ECR_ACCOUNT_ACTIONS.has(operation)) return [{ action, resource: "*" }];
  if (operation === "DescribeRepositories") {
    const names = Array.isArray(input.repositoryNames) ? input.repositoryNames.map(String) : [];
    if (names.length === 0) return [{ action, resource: repositoryArn(account, "*") }];
    return names.map((name) => ({ action, resource: repositoryArn(account, name) }));
  }
  if (ECR_REPOSITORY_ACTIONS.has(operation))
    return [{ action, resource: repositoryArn(account, textOr(input.repositoryName, "")) }];
  throw new UnmappedCall(`ECR operation ${operation} has no IAM mapping in the stand-in`);
}

/**
 * How a Lambda route names its resource: the function ARN (`function`), qualified by the Qualifier
 * query parameter or a `name:qualifier` reference when given (`qualifier`), qualified by the alias in
 * the path (`alias`), from the request body (`body`), or `*` for actions without a resource type.
 */
type LambdaScope = "function" | "qualifier" | "alias" | "body" | "none";

interface LambdaPermission {
  method: string;
  pattern: RegExp;
  action: string;
  scope: LambdaScope;
}

const F = "/2015-03-31/functions";
const PC = "/2019-09-30/functions";
export const LAMBDA_PERMISSIONS: LambdaPermission[] = [
  { method: "POST", pattern: new RegExp(`^${F}/?$`), action: "lambda:CreateFunction", scope: "body" },
  { method: "GET", pattern: new RegExp(`^${F}/?$`), action: "lambda:ListFunctions", scope: "none" },
  { method: "GET", pattern: new RegExp(`^${F}/([^/]+)$`), action: "lambda:GetFunction", scope: "qualifier" },
  {
    method: "DELETE",
    pattern: new RegExp(`^${F}/([^/]+)$`),
    action: "lambda:DeleteFunction",
    scope: "qualifier",
  },
  {
    method: "GET",
    pattern: new RegExp(`^${F}/([^/]+)/configuration$`),
    action: "lambda:GetFunctionConfiguration",
    scope: "qualifier",
  },
  {
    method: "PUT",
    pattern: new RegExp(`^${F}/([^/]+)/configuration$`),
    action: "lambda:UpdateFunctionConfiguration",
    scope: "function",
  },
  {
    method: "PUT",
    pattern: new RegExp(`^${F}/([^/]+)/code$`),
    action: "lambda:UpdateFunctionCode",
    scope: "function",
  },
  {
    method: "POST",
    pattern: new RegExp(`^${F}/([^/]+)/versions$`),
    action: "lambda:PublishVersion",
    scope: "function",
  },
  {
    method: "GET",
    pattern: new RegExp(`^${F}/([^/]+)/versions$`),
    action: "lambda:ListVersionsByFunction",
    scope: "function",
  },
  {
    method: "POST",
    pattern: new RegExp(`^${F}/([^/]+)/aliases$`),
    action: "lambda:CreateAlias",
    scope: "function",
  },
  {
    method: "GET",
    pattern: new RegExp(`^${F}/([^/]+)/aliases$`),
    action: "lambda:ListAliases",
    scope: "function",
  },
  {
    method: "GET",
    pattern: new RegExp(`^${F}/([^/]+)/aliases/([^/]+)$`),
    action: "lambda:GetAlias",
    scope: "alias",
  },
  {
    method: "PUT",
    pattern: new RegExp(`^${F}/([^/]+)/aliases/([^/]+)$`),
    action: "lambda:UpdateAlias",
    scope: "alias",
  },
  {
    method: "DELETE",
    pattern: new RegExp(`^${F}/([^/]+)/aliases/([^/]+)$`),
    action: "lambda:DeleteAlias",
    scope: "alias",
  },
  {
    method: "POST",
    pattern: new RegExp(`^${F}/([^/]+)/invocations$`),
    action: "lambda:InvokeFunction",
    scope: "qualifier",
  },
  // Provisioned concurrency (lambda/provisioned-concurrency.ts): the version in ?Qualifier=.
  ...(["PUT", "GET", "DELETE"] as const).map((method) => ({
    method,
    pattern: new RegExp(`^${PC}/([^/]+)/provisioned-concurrency$`),
    action: `lambda:${{ PUT: "Put", GET: "Get", DELETE: "Delete" }[method]}ProvisionedConcurrencyConfig`,
    scope: "qualifier" as const,
  })),
];

export const functionArn = (account: Account, name: string, qualifier?: string): string =>
  `arn:aws:lambda:${account.region}:${account.accountId}:function:${name}${qualifier ? `:${qualifier}` : ""}`;

/** A FunctionName as Lambda accepts it (name, `name:qualifier`, full or partial ARN) → name and qualifier. */
export function parseFunctionRef(ref: string): { name: string; qualifier?: string } {
  const parts = ref.split(":");
  // indexOf is -1 without "function", so the slice then keeps every part.
  const rest = parts.slice(parts.indexOf("function") + 1);
  const [name = "", qualifier] = rest;
  return qualifier === undefined ? { name } : { name, qualifier };
}

export interface LambdaRequestShape {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown> | undefined;
}

export function lambdaCall(request: LambdaRequestShape, account: Account): IamCall {
  const permission = LAMBDA_PERMISSIONS.find(
    (entry) => entry.method === request.method && entry.pattern.test(request.path),
  );
  if (!permission)
    throw new UnmappedCall(`Lambda ${request.method} ${request.path} has no IAM mapping in the stand-in`);
  // Stryker disable next-line StringLiteral,ArrayDeclaration: the pattern has just matched, and every scope that reads ref or alias has its group
  const [ref = "", alias = ""] = (permission.pattern.exec(request.path) ?? [])
    .slice(1)
    .map((part) => decodeURIComponent(part));
  const { action, scope } = permission;
  const parsed = parseFunctionRef(ref);
  switch (scope) {
    case "none":
      return { action, resource: "*" };
    case "body":
      return {
        action,
        resource: functionArn(account, parseFunctionRef(textOr(request.body?.FunctionName, "")).name),
      };
    case "alias":
      return { action, resource: functionArn(account, parsed.name, alias) };
    case "function":
      return { action, resource: functionArn(account, parsed.name) };
    case "qualifier":
      return {
        action,
        resource: functionArn(account, parsed.name, request.query.get("Qualifier") ?? parsed.qualifier),
      };
  }
}

/** CloudWatch's JSON targets: DescribeAlarms has no resource-level scope for composite alarms. */
export function cloudWatchCall(operation: string, input: Record<string, unknown>, account: Account): IamCall {
  if (operation !== "DescribeAlarms")
    throw new UnmappedCall(`CloudWatch operation ${operation} has no IAM mapping in the stand-in`);
  // Stryker disable next-line ArrayDeclaration: only "CompositeAlarm" is looked for, never the placeholder
  const types = Array.isArray(input.AlarmTypes) ? input.AlarmTypes.map(String) : [];
  const names = Array.isArray(input.AlarmNames) ? input.AlarmNames.map(String) : [];
  // "To use this operation and return information about composite alarms, you must be signed on with
  // the cloudwatch:DescribeAlarms permission that is scoped to *."
  // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html)
  if (types.includes("CompositeAlarm") || names.length !== 1)
    return { action: "cloudwatch:DescribeAlarms", resource: "*" };
  return {
    action: "cloudwatch:DescribeAlarms",
    resource: `arn:aws:cloudwatch:${account.region}:${account.accountId}:alarm:${names[0]}`,
  };
}

/** The ECR repository an image URI (`host/name@sha256:…` or `host/name:tag`) lives in. */
export function imageRepository(imageUri: string): string {
  const path = imageUri.slice(imageUri.indexOf("/") + 1);
  // Stryker disable next-line Regex: a repository name has no colon, so the path holds only the tag's one
  return path.split("@")[0]!.replace(/:[^/:]*$/, "");
}
