import { describe, expect, it } from "vitest";
import {
  cloudWatchCall,
  ecrCalls,
  imageRepository,
  lambdaCall,
  parseFunctionRef,
  UnmappedCall,
} from "../src/iam/permissions.js";

const account = { accountId: "123456789012", region: "eu-west-1" };
const fn = "arn:aws:lambda:eu-west-1:123456789012:function:textcat-prod";
const lambda = (method: string, path: string, query = "", body?: Record<string, unknown>) =>
  lambdaCall({ method, path, query: new URLSearchParams(query), body }, account);

describe("IAM action and resource per operation", () => {
  it.each([
    ["GET", "/2015-03-31/functions/textcat-prod", "", "lambda:GetFunction", fn],
    ["GET", "/2015-03-31/functions/textcat-prod", "Qualifier=7", "lambda:GetFunction", `${fn}:7`],
    [
      "GET",
      "/2015-03-31/functions/textcat-prod%3Alive/configuration",
      "",
      "lambda:GetFunctionConfiguration",
      `${fn}:live`,
    ],
    [
      "GET",
      `/2015-03-31/functions/${encodeURIComponent(fn)}/configuration`,
      "Qualifier=3",
      "lambda:GetFunctionConfiguration",
      `${fn}:3`,
    ],
    ["PUT", "/2015-03-31/functions/textcat-prod/code", "", "lambda:UpdateFunctionCode", fn],
    ["POST", "/2015-03-31/functions/textcat-prod/versions", "", "lambda:PublishVersion", fn],
    ["GET", "/2015-03-31/functions/textcat-prod/versions", "", "lambda:ListVersionsByFunction", fn],
    ["POST", "/2015-03-31/functions/textcat-prod/aliases", "", "lambda:CreateAlias", fn],
    ["PUT", "/2015-03-31/functions/textcat-prod/aliases/live", "", "lambda:UpdateAlias", `${fn}:live`],
    ["GET", "/2015-03-31/functions/textcat-prod/aliases/live", "", "lambda:GetAlias", `${fn}:live`],
    [
      "POST",
      "/2015-03-31/functions/textcat-prod/invocations",
      "Qualifier=live",
      "lambda:InvokeFunction",
      `${fn}:live`,
    ],
    ["POST", "/2015-03-31/functions/textcat-prod/invocations", "", "lambda:InvokeFunction", fn],
    ["GET", "/2015-03-31/functions", "", "lambda:ListFunctions", "*"],
  ])("%s %s?%s → %s on %s", (method, path, query, action, resource) => {
    expect(lambda(method, path, query)).toEqual({ action, resource });
  });

  it("CreateFunction names the function from the body", () => {
    expect(lambda("POST", "/2015-03-31/functions", "", { FunctionName: "textcat-prod" })).toEqual({
      action: "lambda:CreateFunction",
      resource: fn,
    });
  });

  it("refuses a Lambda route it has no line for", () => {
    expect(() => lambda("GET", "/2015-03-31/functions/x/policy")).toThrow(UnmappedCall);
    expect(() => lambda("PATCH", "/2015-03-31/functions/x")).toThrow(UnmappedCall);
  });

  it("ECR: the repository ARN, * for GetAuthorizationToken, one check per named repository", () => {
    const repo = "arn:aws:ecr:eu-west-1:123456789012:repository/textcat-prod";
    expect(ecrCalls("PutImage", { repositoryName: "textcat-prod" }, account)).toEqual([
      { action: "ecr:PutImage", resource: repo },
    ]);
    expect(ecrCalls("GetAuthorizationToken", {}, account)).toEqual([
      { action: "ecr:GetAuthorizationToken", resource: "*" },
    ]);
    expect(ecrCalls("DescribeRepositories", { repositoryNames: ["a", "b"] }, account)).toHaveLength(2);
    expect(() => ecrCalls("SetRepositoryPolicy", {}, account)).toThrow(UnmappedCall);
  });

  it("CloudWatch: DescribeAlarms on * when composite alarms are asked for, else on the one alarm", () => {
    expect(
      cloudWatchCall(
        "DescribeAlarms",
        { AlarmNames: ["a"], AlarmTypes: ["MetricAlarm", "CompositeAlarm"] },
        account,
      ).resource,
    ).toBe("*");
    expect(cloudWatchCall("DescribeAlarms", { AlarmNames: ["a"] }, account).resource).toBe(
      "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a",
    );
    expect(() => cloudWatchCall("PutMetricAlarm", {}, account)).toThrow(UnmappedCall);
  });

  it("reads function references and image URIs", () => {
    expect(parseFunctionRef("f")).toEqual({ name: "f" });
    expect(parseFunctionRef("f:live")).toEqual({ name: "f", qualifier: "live" });
    expect(parseFunctionRef("123456789012:function:f:2")).toEqual({ name: "f", qualifier: "2" });
    expect(imageRepository("127.0.0.1:5000/textcat-prod@sha256:ab")).toBe("textcat-prod");
    expect(imageRepository("127.0.0.1:5000/org/textcat:ck-1")).toBe("org/textcat");
  });
});

/*
 * The action and resource ARN per route, as the Service Authorization Reference lists them:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html ("function*":
 * arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}, qualified by a version or alias
 * where the call names one; "If there is no value for this column, you must specify all resources ("*")"),
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html
 * ("repository*": arn:${Partition}:ecr:${Region}:${Account}:repository/${RepositoryName};
 * GetAuthorizationToken has no resource type),
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html
 * ("alarm": arn:${Partition}:cloudwatch:${Region}:${Account}:alarm:${AlarmName}).
 * Provisioned concurrency routes: https://docs.aws.amazon.com/lambda/latest/dg/API_PutProvisionedConcurrencyConfig.html
 * "PUT /2019-09-30/functions/FunctionName/provisioned-concurrency?Qualifier=Qualifier" ("The version
 * number or alias name").
 */
describe("every Lambda route, pinned", () => {
  const F = "/2015-03-31/functions/textcat-prod";
  const PC = "/2019-09-30/functions/textcat-prod/provisioned-concurrency";
  it.each([
    ["GET", "/2015-03-31/functions/", "", "lambda:ListFunctions", "*"],
    ["DELETE", F, "", "lambda:DeleteFunction", fn],
    ["DELETE", F, "Qualifier=4", "lambda:DeleteFunction", `${fn}:4`],
    ["GET", `${F}/configuration`, "", "lambda:GetFunctionConfiguration", fn],
    ["PUT", `${F}/configuration`, "", "lambda:UpdateFunctionConfiguration", fn],
    ["PUT", `${F}/configuration`, "Qualifier=4", "lambda:UpdateFunctionConfiguration", fn],
    ["PUT", "/2015-03-31/functions/textcat-prod%3Alive/code", "", "lambda:UpdateFunctionCode", fn],
    ["GET", `${F}/aliases`, "", "lambda:ListAliases", fn],
    // Actions on the function itself ignore a Qualifier: the resource is the unqualified function.
    ["POST", `${F}/versions`, "Qualifier=9", "lambda:PublishVersion", fn],
    ["GET", `${F}/versions`, "Qualifier=9", "lambda:ListVersionsByFunction", fn],
    ["POST", `${F}/aliases`, "Qualifier=9", "lambda:CreateAlias", fn],
    ["GET", `${F}/aliases`, "Qualifier=9", "lambda:ListAliases", fn],
    ["PUT", `${F}/code`, "Qualifier=9", "lambda:UpdateFunctionCode", fn],
    ["DELETE", `${F}/aliases/live`, "", "lambda:DeleteAlias", `${fn}:live`],
    [
      "GET",
      `/2015-03-31/functions/${encodeURIComponent(fn)}/aliases/live`,
      "",
      "lambda:GetAlias",
      `${fn}:live`,
    ],
    ["GET", `${F}/aliases/a%2Db`, "", "lambda:GetAlias", `${fn}:a-b`],
    ["POST", "/2015-03-31/functions/textcat-prod%3A7/invocations", "", "lambda:InvokeFunction", `${fn}:7`],
    [
      "POST",
      "/2015-03-31/functions/textcat-prod%3A7/invocations",
      "Qualifier=8",
      "lambda:InvokeFunction",
      `${fn}:8`,
    ],
    ["PUT", PC, "Qualifier=7", "lambda:PutProvisionedConcurrencyConfig", `${fn}:7`],
    ["GET", PC, "Qualifier=live", "lambda:GetProvisionedConcurrencyConfig", `${fn}:live`],
    ["DELETE", PC, "Qualifier=7", "lambda:DeleteProvisionedConcurrencyConfig", `${fn}:7`],
  ])("%s %s?%s → %s on %s", (method, path, query, action, resource) => {
    expect(lambda(method, path, query)).toEqual({ action, resource });
  });

  it("CreateFunction reads the name from the body's FunctionName, in any of its forms", () => {
    expect(lambda("POST", "/2015-03-31/functions/", "", { FunctionName: fn })).toEqual({
      action: "lambda:CreateFunction",
      resource: fn,
    });
    expect(lambda("POST", "/2015-03-31/functions", "", {}).resource).toBe(
      "arn:aws:lambda:eu-west-1:123456789012:function:",
    );
    expect(lambda("POST", "/2015-03-31/functions", "").resource).toBe(
      "arn:aws:lambda:eu-west-1:123456789012:function:",
    );
  });

  it("refuses unmapped routes with a message naming the method and path", () => {
    expect(() => lambda("POST", "/2015-03-31/functions/x/policy")).toThrow(
      new UnmappedCall("Lambda POST /2015-03-31/functions/x/policy has no IAM mapping in the stand-in"),
    );
    expect(() => lambda("GET", "/2015-03-31/functions/a/b")).toThrow(UnmappedCall);
    expect(() => lambda("GET", "/x/2015-03-31/functions")).toThrow(UnmappedCall);
    expect(() => lambda("GET", "/2015-03-31/functions/x/configurationx")).toThrow(UnmappedCall);
    expect(() => lambda("PUT", "/2019-09-30/functions/x/provisioned-concurrency/x")).toThrow(UnmappedCall);
    expect(() => lambda("GET", "/2015-03-31/functions/x/aliases/a/b")).toThrow(UnmappedCall);
  });
});

describe("every ECR operation, pinned", () => {
  const repo = (name: string) => `arn:aws:ecr:eu-west-1:123456789012:repository/${name}`;
  it.each([
    "CreateRepository",
    "DeleteRepository",
    "DescribeImages",
    "ListImages",
    "BatchGetImage",
    "PutImage",
    "BatchDeleteImage",
  ])("%s checks ecr:%s on the named repository", (operation) => {
    expect(ecrCalls(operation, { repositoryName: "org/textcat" }, account)).toEqual([
      { action: `ecr:${operation}`, resource: repo("org/textcat") },
    ]);
  });

  it("a repository operation without a name checks the empty name, not every repository", () => {
    expect(ecrCalls("PutImage", {}, account)).toEqual([{ action: "ecr:PutImage", resource: repo("") }]);
  });

  it("DescribeRepositories checks each named repository, or repository/* when it lists them all", () => {
    expect(ecrCalls("DescribeRepositories", { repositoryNames: ["a", "b"] }, account)).toEqual([
      { action: "ecr:DescribeRepositories", resource: repo("a") },
      { action: "ecr:DescribeRepositories", resource: repo("b") },
    ]);
    expect(ecrCalls("DescribeRepositories", {}, account)).toEqual([
      { action: "ecr:DescribeRepositories", resource: repo("*") },
    ]);
    expect(ecrCalls("DescribeRepositories", { repositoryNames: [] }, account)).toEqual([
      { action: "ecr:DescribeRepositories", resource: repo("*") },
    ]);
    expect(ecrCalls("DescribeRepositories", { repositoryNames: "a" }, account)).toEqual([
      { action: "ecr:DescribeRepositories", resource: repo("*") },
    ]);
  });

  it("refuses an unmapped operation, naming it", () => {
    expect(() => ecrCalls("SetRepositoryPolicy", {}, account)).toThrow(
      new UnmappedCall("ECR operation SetRepositoryPolicy has no IAM mapping in the stand-in"),
    );
    expect(new UnmappedCall("x").name).toBe("UnmappedCall");
  });
});

describe("CloudWatch DescribeAlarms", () => {
  // "To use this operation and return information about composite alarms, you must be signed on with
  // the cloudwatch:DescribeAlarms permission that is scoped to *."
  // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html)
  it.each([
    [{ AlarmNames: ["a"] }, "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a"],
    [{ AlarmNames: ["a"], AlarmTypes: ["MetricAlarm"] }, "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a"],
    [
      { AlarmNames: ["a"], AlarmTypes: "CompositeAlarm" },
      "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a",
    ],
    [{ AlarmNames: ["a"], AlarmTypes: ["CompositeAlarm"] }, "*"],
    [{ AlarmNames: ["a", "b"] }, "*"],
    [{ AlarmNames: "a" }, "*"],
    [{}, "*"],
  ])("%j → %s", (input, resource) => {
    expect(cloudWatchCall("DescribeAlarms", input, account)).toEqual({
      action: "cloudwatch:DescribeAlarms",
      resource,
    });
  });

  it("refuses other operations, naming them", () => {
    expect(() => cloudWatchCall("PutMetricAlarm", {}, account)).toThrow(
      new UnmappedCall("CloudWatch operation PutMetricAlarm has no IAM mapping in the stand-in"),
    );
  });
});

describe("function references and image URIs", () => {
  it.each([
    ["textcat-prod", { name: "textcat-prod" }],
    [fn, { name: "textcat-prod" }],
    [`${fn}:live`, { name: "textcat-prod", qualifier: "live" }],
    ["", { name: "" }],
    // The FunctionName pattern makes every prefix optional: (arn:...:lambda:)?(region:)?(\d{12}:)?(function:)?name(:qualifier)?
    // (https://docs.aws.amazon.com/lambda/latest/dg/API_PutProvisionedConcurrencyConfig.html)
    ["function:textcat-prod:3", { name: "textcat-prod", qualifier: "3" }],
    ["123456789012:function", { name: "" }],
  ])("%s → %j", (ref, parsed) => {
    expect(parseFunctionRef(ref)).toStrictEqual(parsed);
  });

  it.each([
    ["textcat-prod", "textcat-prod"],
    ["textcat-prod:ck-1", "textcat-prod"],
    ["127.0.0.1:5000/textcat-prod:ck-1", "textcat-prod"],
    ["123456789012.dkr.ecr.eu-west-1.amazonaws.com/org/textcat@sha256:ab", "org/textcat"],
  ])("image %s lives in %s", (uri, repository) => {
    expect(imageRepository(uri)).toBe(repository);
  });
});
