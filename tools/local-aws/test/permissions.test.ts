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
