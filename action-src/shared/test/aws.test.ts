import { DescribeRepositoriesCommand } from "@aws-sdk/client-ecr";
import { ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createEcrClient, createLambdaClient, isEcrRepositoryName, resolveRegion } from "../src/aws.js";

describe("isEcrRepositoryName", () => {
  test.each(["textcat-lambda", "team/textcat", "a.b_c-d/e"])("accepts %j", (name) => {
    expect(isEcrRepositoryName(name)).toBe(true);
  });

  test.each([
    "TextCat",
    "textcat/",
    "textcat:latest",
    "123456789012.dkr.ecr.eu-west-1.amazonaws.com/textcat",
    "a".repeat(257),
  ])("refuses %j", (name) => {
    expect(isEcrRepositoryName(name)).toBe(false);
  });
});

describe("resolveRegion", () => {
  test.each([
    ["eu-west-1", {}, "eu-west-1"],
    ["", { AWS_REGION: "us-east-2" }, "us-east-2"],
    ["", { AWS_DEFAULT_REGION: "ap-southeast-1" }, "ap-southeast-1"],
    ["us-gov-west-1", { AWS_REGION: "us-east-1" }, "us-gov-west-1"],
  ])("input %j, env %j → %s", (input, env, expected) => {
    expect(resolveRegion(input, env)).toBe(expected);
  });

  test.each([
    ["", {}, 'Input "aws-region" is required (or set AWS_REGION)'],
    ["Europe", {}, 'Input "aws-region" is not an AWS region name: "Europe"'],
  ])("input %j, env %j fails", (input, env, message) => {
    expect(() => resolveRegion(input, env)).toThrow(message);
  });
});

describe("clients honour the SDK's own endpoint settings", () => {
  let server: Server;
  let port = 0;
  const seen: string[] = [];
  const saved = { ...process.env };

  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push(`${request.method} ${request.url} ${String(request.headers["x-amz-target"] ?? "")}`.trim());
      response.setHeader("content-type", "application/json");
      response.end(request.url?.includes("/functions") ? '{"Functions":[]}' : '{"repositories":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => server.close());
  beforeEach(() => {
    seen.length = 0;
    for (const key of ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_ECR", "AWS_ENDPOINT_URL_LAMBDA"])
      delete process.env[key];
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" });
  });
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  test.each(["AWS_ENDPOINT_URL_ECR", "AWS_ENDPOINT_URL"])("ECR goes to %s", async (variable) => {
    process.env[variable] = `http://127.0.0.1:${port}`;
    await createEcrClient("eu-west-1").send(new DescribeRepositoriesCommand({}));
    expect(seen).toEqual(["POST / AmazonEC2ContainerRegistry_V20150921.DescribeRepositories"]);
  });

  test.each(["AWS_ENDPOINT_URL_LAMBDA", "AWS_ENDPOINT_URL"])("Lambda goes to %s", async (variable) => {
    process.env[variable] = `http://127.0.0.1:${port}`;
    await createLambdaClient("eu-west-1").send(new ListFunctionsCommand({}));
    expect(seen).toEqual(["GET /2015-03-31/functions"]);
  });
});
