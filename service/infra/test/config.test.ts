import { describe, expect, it } from "vitest";
import { parseContextArgs } from "../src/app.js";
import { InfraConfigError, readInfraConfig } from "../src/config.js";
import { resourceNames } from "../src/names.js";
import { STAGE_DEFAULTS } from "../src/stages.js";

const read = (context: Record<string, unknown>) => readInfraConfig((key) => context[key]);
const base = { github: "example-org@5551/textcat-lambda@5552" };

describe("readInfraConfig", () => {
  it("starts each stage from its defaults, owner from the GitHub owner", () => {
    const config = read({ ...base, stage: "prod" });
    expect(config).toMatchObject({
      stage: "prod",
      project: "textcat",
      owner: "example-org",
      github: { owner: "example-org", repo: "textcat-lambda" },
      githubEnvironment: "production",
      trustMainBranch: false,
      memoryMb: STAGE_DEFAULTS.prod.memoryMb,
      reservedConcurrency: 100,
      provisionedConcurrency: 0,
      corsOrigins: [],
      auth: { mode: "none" },
    });
    expect(read(base).stage).toBe("dev");
    expect(read(base).provisionedConcurrency).toBe(0);
  });

  it("reads the immutable subject ids by default, or the name form when asked for", () => {
    expect(read(base).github).toEqual({
      owner: "example-org",
      repo: "textcat-lambda",
      subject: "immutable",
      ownerId: "5551",
      repoId: "5552",
    });
    expect(read({ github: "example-org/textcat-lambda", githubSubject: "name" }).github).toEqual({
      owner: "example-org",
      repo: "textcat-lambda",
      subject: "name",
    });
  });

  it("lets prod trust main where the repository has no environments (private, GitHub Free)", () => {
    expect(read({ ...base, stage: "prod" }).trustMainBranch).toBe(false);
    expect(read({ ...base, stage: "prod", trustMainBranch: "true" }).trustMainBranch).toBe(true);
    expect(read({ ...base, stage: "dev", trustMainBranch: false }).trustMainBranch).toBe(false);
  });

  it("deploys every stage from prod's image repository unless told otherwise", () => {
    expect(read(base).imageStage).toBe("prod");
    expect(read({ ...base, stage: "prod" }).imageStage).toBe("prod");
    expect(read({ ...base, imageStage: "dev" }).imageStage).toBe("dev");
    expect(() => read({ ...base, imageStage: "staging" })).toThrow(
      new InfraConfigError('context imageStage must be one of dev, prod, got "staging"'),
    );
  });

  it("takes overrides from CLI strings and from cdk.json values alike", () => {
    const config = read({
      ...base,
      memoryMb: "2048",
      timeoutSeconds: 15,
      reservedConcurrency: "none",
      corsOrigins: ["https://a.example", "https://b.example"],
      owner: "team-ml",
      auth: "iam",
    });
    expect(config).toMatchObject({
      memoryMb: 2048,
      timeoutSeconds: 15,
      reservedConcurrency: undefined,
      corsOrigins: ["https://a.example", "https://b.example"],
      owner: "team-ml",
      auth: { mode: "iam" },
    });
    expect(read({ ...base, corsOrigins: "https://a.example, https://b.example" }).corsOrigins).toHaveLength(
      2,
    );
  });

  it.each([
    [{}, /github is required/],
    [{ github: "just-a-name" }, /github must be <owner>@<owner id>\/<repo>@<repo id>/],
    [{ github: "org/repo" }, /github needs the ids of the immutable OIDC subject: .*gh api repos/],
    [{ github: "org@1/repo" }, /github must be/],
    [{ github: "org@x/repo@2" }, /ids are numbers/],
    [
      { github: "org@1/repo@2", githubSubject: "name" },
      /githubSubject=name takes github=<owner>\/<repo> without ids/,
    ],
    [{ github: "org/repo", githubSubject: "sometimes" }, /githubSubject must be immutable or name/],
    [{ ...base, trustMainBranch: "yes" }, /trustMainBranch must be true or false/],
    [{ github: "org/repo/extra" }, /github must be/],
    [{ github: "*/repo" }, /github must be/],
    [{ github: "org/*" }, /github must be/],
    [{ ...base, stage: "staging" }, /stage must be one of dev, prod/],
    [{ ...base, memoryMb: "lots" }, /memoryMb must be an integer from 128 to 10240/],
    [{ ...base, memoryMb: "64" }, /memoryMb must be an integer/],
    [{ ...base, timeoutSeconds: "30" }, /timeoutSeconds must be an integer from 1 to 29/],
    [{ ...base, reservedConcurrency: "0" }, /reservedConcurrency must be an integer from 1/],
    [{ ...base, provisionedConcurrency: "-1" }, /provisionedConcurrency must be an integer from 0/],
    [
      { ...base, stage: "prod", provisionedConcurrency: "50" },
      /provisionedConcurrency=50 needs reservedConcurrency above 100 .*, got 100/,
    ],
    [{ ...base, logRetentionDays: "10" }, /logRetentionDays must be one of 1, 3, 5/],
    [{ ...base, corsOrigins: "example.com" }, /corsOrigins: "example.com" is not \*/],
    [{ ...base, auth: "basic" }, /auth must be none, iam or jwt/],
    [{ ...base, auth: "jwt" }, /auth=jwt needs -c jwtIssuer/],
    [{ ...base, account: "123" }, /account must be a 12-digit AWS account id/],
    [{ ...base, oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/example.com" }, /oidcProviderArn/],
    [{ ...base, project: "Text Cat" }, /project must be lowercase/],
    [{ ...base, owner: "team<ml>" }, /owner must be a tag value/],
    [{ ...base, githubEnvironment: "prod env" }, /githubEnvironment must be a GitHub environment name/],
  ])("rejects %j with a message naming the key", (context, message) => {
    expect(() => read(context)).toThrow(InfraConfigError);
    expect(() => read(context)).toThrow(message);
  });
});

describe("resourceNames", () => {
  it("derives stable names the workflows and the canary rely on", () => {
    expect(resourceNames("textcat", "prod")).toEqual({
      stackName: "textcat-prod",
      repositoryName: "textcat-prod",
      functionName: "textcat-prod",
      logGroupName: "/aws/lambda/textcat-prod",
      apiName: "textcat-prod",
      dashboardName: "textcat-prod",
      pushRoleName: "textcat-prod-github-push",
      deployRoleName: "textcat-prod-github-deploy",
      alarmPrefix: "textcat-prod-live-",
      alarms: {
        errors: "textcat-prod-live-errors",
        throttles: "textcat-prod-live-throttles",
        p99Duration: "textcat-prod-live-p99-duration",
      },
    });
  });
});

describe("parseContextArgs", () => {
  it("reads -c and --context pairs; later pairs win; values may contain =", () => {
    expect(
      parseContextArgs(["-c", "stage=dev", "--context", "jwtIssuer=https://x/?a=b", "-c", "stage=prod"]),
    ).toEqual({ stage: "prod", jwtIssuer: "https://x/?a=b" });
  });

  it.each([[["stage=dev"]], [["-c"]], [["-c", "=dev"]], [["-c", "stage"]]])("rejects %j", (args) => {
    expect(() => parseContextArgs(args)).toThrow(/key=value/);
  });
});
