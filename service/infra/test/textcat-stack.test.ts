import { CfnResource, TagManager } from "aws-cdk-lib";
import { Match } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import { PLACEHOLDER_IMAGE_HASH } from "../src/live-function.js";
import { asList, findStatements, wildcardActionProblems } from "./policy-scan.js";
import { GITHUB, onlyResource, resourcesOfType, synthStage, type Synthesized } from "./synth.js";

const OIDC_ARN = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
let dev: Synthesized;
let prod: Synthesized;
/** A dev stage deployed on its own: it owns the image repository (-c imageStage=dev). */
let devAlone: Synthesized;
/** dev again with every configuration knob changed: what a later `cdk deploy` would send. */
let devReconfigured: Synthesized;

beforeAll(() => {
  dev = synthStage({ stage: "dev" });
  prod = synthStage({ stage: "prod" });
  devAlone = synthStage({ stage: "dev", imageStage: "dev" });
  devReconfigured = synthStage({
    stage: "dev",
    memoryMb: "2048",
    timeoutSeconds: "20",
    reservedConcurrency: "none",
    corsOrigins: "https://app.example.com",
    auth: "jwt",
    jwtIssuer: "https://issuer.example.com",
    jwtAudience: "textcat-web",
    oidcProviderArn: OIDC_ARN,
  });
});

const stages = () => [
  { name: "dev", synth: dev, expiryDays: 14, reserved: 10, retention: 14, throttle: [20, 40], p99: 1000 },
  { name: "prod", synth: prod, expiryDays: 30, reserved: 100, retention: 90, throttle: [200, 400], p99: 500 },
];

describe("ECR repository", () => {
  it.each(["dev", "prod"])("%s: immutable tags, scan on push, encrypted, retained", (name) => {
    const { template } = name === "dev" ? devAlone : prod;
    template.hasResource("AWS::ECR::Repository", {
      Properties: Match.objectLike({
        RepositoryName: `textcat-${name}`,
        ImageTagMutability: "IMMUTABLE",
        ImageScanningConfiguration: { ScanOnPush: true },
        EncryptionConfiguration: { EncryptionType: "AES256" },
      }),
      DeletionPolicy: "Retain",
    });
  });

  it("lifecycle keeps every deployed-* image and expires the rest only by age", () => {
    for (const { synth, expiryDays } of [
      { synth: devAlone, expiryDays: 14 },
      { synth: prod, expiryDays: 30 },
    ]) {
      const [, repository] = onlyResource(synth.json, "AWS::ECR::Repository");
      const policy = repository.Properties?.LifecyclePolicy as { LifecyclePolicyText: string };
      const rules = (JSON.parse(policy.LifecyclePolicyText) as { rules: LifecycleRule[] }).rules;
      const byPriority = [...rules].sort((a, b) => a.rulePriority - b.rulePriority);
      // The first rule claims deployed images; ECR never lets a later rule expire an image it matches.
      expect(byPriority[0]?.selection).toEqual({
        tagStatus: "tagged",
        tagPrefixList: ["deployed-"],
        countType: "imageCountMoreThan",
        countNumber: 9999,
      });
      expect(byPriority.slice(1)).toEqual([
        expect.objectContaining({
          selection: {
            tagStatus: "any",
            countType: "sinceImagePushed",
            countNumber: expiryDays,
            countUnit: "days",
          },
        }),
      ]);
    }
  });

  it("only the stages' functions may pull through the Lambda service principal", () => {
    const [, repository] = onlyResource(prod.json, "AWS::ECR::Repository");
    const [statement, ...others] = findStatements(repository.Properties?.RepositoryPolicyText);
    expect(others).toEqual([]);
    expect(statement?.statement.Principal).toEqual({ Service: "lambda.amazonaws.com" });
    const condition = JSON.stringify(statement?.statement.Condition);
    // dev serves the digest prod will serve: it pulls from prod's repository.
    for (const name of ["textcat-dev", "textcat-prod"]) {
      expect(condition).toContain(`":function:${name}"]]}`);
      expect(condition).toContain(`":function:${name}:*"]]}`);
    }
    expect(condition.match(/:function:/g)).toHaveLength(4);
  });
});

describe("function and live alias", () => {
  it.each(["dev", "prod"])(
    "%s: image, x86_64, measured memory/timeout, concurrency, tracing, logs",
    (name) => {
      const { synth, reserved, retention } = stages().find((stage) => stage.name === name)!;
      synth.template.hasResourceProperties("AWS::Lambda::Function", {
        FunctionName: `textcat-${name}`,
        PackageType: "Image",
        Architectures: ["x86_64"],
        MemorySize: 1024,
        Timeout: 10,
        ReservedConcurrentExecutions: reserved,
        TracingConfig: { Mode: "Active" },
        Environment: { Variables: Match.objectLike({ LOG_REQUEST_TEXT: "false" }) },
      });
      synth.template.hasResourceProperties("AWS::Logs::LogGroup", {
        LogGroupName: `/aws/lambda/textcat-${name}`,
        RetentionInDays: retention,
      });
    },
  );

  it("the code is the ImageUri parameter, falling back to a fixed placeholder image", () => {
    expect(dev.json.Parameters.ImageUri?.Default).toBe("");
    const [, fn] = onlyResource(dev.json, "AWS::Lambda::Function");
    const imageUri = (fn.Properties?.Code as { ImageUri: { "Fn::If": unknown[] } }).ImageUri["Fn::If"];
    expect(imageUri[0]).toBe("UsePlaceholderImage");
    expect(imageUri[2]).toEqual({ Ref: "ImageUri" });
    // Pinned: a changed placeholder changes the Code, and the next deploy would reset $LATEST.
    expect(JSON.stringify(imageUri[1])).toMatch(new RegExp(`container-assets-.*:${PLACEHOLDER_IMAGE_HASH}"`));
  });

  it("alias live carries only name and the first version: nothing promote changes", () => {
    const [versionId, version] = onlyResource(dev.json, "AWS::Lambda::Version");
    const [, alias] = onlyResource(dev.json, "AWS::Lambda::Alias");
    expect(alias.Properties).toEqual({
      Name: "live",
      FunctionName: { Ref: expect.any(String) },
      FunctionVersion: { "Fn::GetAtt": [versionId, "Version"] },
    });
    expect(Object.keys(version.Properties ?? {}).sort()).toEqual(["Description", "FunctionName"]);
    expect(version.DeletionPolicy).toBe("Retain");
  });

  it("a later deploy with other settings leaves code, version and alias untouched", () => {
    for (const type of ["AWS::Lambda::Alias", "AWS::Lambda::Version"]) {
      expect(resourcesOfType(devReconfigured.json, type)).toEqual(resourcesOfType(dev.json, type));
    }
    const code = (synth: Synthesized) =>
      onlyResource(synth.json, "AWS::Lambda::Function")[1].Properties?.Code;
    expect(code(devReconfigured)).toEqual(code(dev));
    // The configuration itself did change, so the comparison above is not vacuous.
    devReconfigured.template.hasResourceProperties("AWS::Lambda::Function", {
      MemorySize: 2048,
      Timeout: 20,
    });
  });

  it("reservedConcurrency=none leaves the function on the unreserved pool", () => {
    const [, fn] = onlyResource(devReconfigured.json, "AWS::Lambda::Function");
    expect(fn.Properties).not.toHaveProperty("ReservedConcurrentExecutions");
  });
});

describe("HTTP API", () => {
  it("invokes the live alias through a catch-all route, throttled per stage", () => {
    for (const { synth, throttle } of stages()) {
      const [aliasId] = onlyResource(synth.json, "AWS::Lambda::Alias");
      synth.template.hasResourceProperties("AWS::ApiGatewayV2::Integration", {
        IntegrationType: "AWS_PROXY",
        IntegrationUri: { Ref: aliasId },
        PayloadFormatVersion: "2.0",
      });
      synth.template.hasResourceProperties("AWS::Lambda::Permission", {
        FunctionName: { Ref: aliasId },
        Principal: "apigateway.amazonaws.com",
      });
      synth.template.hasResourceProperties("AWS::ApiGatewayV2::Route", {
        RouteKey: "$default",
        AuthorizationType: "NONE",
      });
      synth.template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
        StageName: "$default",
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: throttle[0], ThrottlingBurstLimit: throttle[1] },
        AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
      });
      expect(synth.json.Outputs.ApiUrl).toBeDefined();
    }
  });

  it("names the documented /v1 routes, on the same integration and authorizer as $default", () => {
    for (const synth of [dev, prod, devReconfigured]) {
      const routes = resourcesOfType(synth.json, "AWS::ApiGatewayV2::Route").map(
        ([, route]) => route.Properties as Record<string, unknown>,
      );
      expect(routes.map((route) => route.RouteKey).sort()).toEqual([
        "$default",
        "GET /v1/health",
        "POST /v1/predict",
      ]);
      expect(new Set(routes.map((route) => JSON.stringify(route.Target))).size).toBe(1);
      expect(new Set(routes.map((route) => route.AuthorizationType)).size).toBe(1);
    }
    devReconfigured.template.resourcePropertiesCountIs(
      "AWS::ApiGatewayV2::Route",
      { AuthorizationType: "JWT" },
      3,
    );
  });

  it("CORS follows context: * in dev, none in prod, the given origins otherwise", () => {
    dev.template.hasResourceProperties("AWS::ApiGatewayV2::Api", {
      ProtocolType: "HTTP",
      CorsConfiguration: Match.objectLike({ AllowOrigins: ["*"], AllowMethods: ["GET", "POST", "OPTIONS"] }),
    });
    const [, prodApi] = onlyResource(prod.json, "AWS::ApiGatewayV2::Api");
    expect(prodApi.Properties).not.toHaveProperty("CorsConfiguration");
    devReconfigured.template.hasResourceProperties("AWS::ApiGatewayV2::Api", {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ["https://app.example.com"] }),
    });
    devReconfigured.template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: { Variables: Match.objectLike({ ALLOWED_ORIGINS: "https://app.example.com" }) },
    });
  });

  it("auth=jwt puts a JWT authorizer with issuer and audience on the route", () => {
    devReconfigured.template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", {
      AuthorizerType: "JWT",
      JwtConfiguration: { Issuer: "https://issuer.example.com", Audience: ["textcat-web"] },
    });
    devReconfigured.template.hasResourceProperties("AWS::ApiGatewayV2::Route", { AuthorizationType: "JWT" });
  });
});

describe("alarms promote's canary reads", () => {
  it.each([
    ["errors", "Errors", { Statistic: "Sum", Threshold: 1 }],
    ["throttles", "Throttles", { Statistic: "Sum", Threshold: 1 }],
    ["p99-duration", "Duration", { ExtendedStatistic: "p99", Threshold: 500, DatapointsToAlarm: 2 }],
  ])("%s: a stable name on the alias metric", (suffix, metricName, settings) => {
    const [functionId] = onlyResource(prod.json, "AWS::Lambda::Function");
    prod.template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      AlarmName: `textcat-prod-live-${suffix}`,
      Namespace: "AWS/Lambda",
      MetricName: metricName,
      Period: 60,
      TreatMissingData: "notBreaching",
      Dimensions: [
        { Name: "FunctionName", Value: { Ref: functionId } },
        { Name: "Resource", Value: { "Fn::Join": ["", [{ Ref: functionId }, ":live"]] } },
      ],
      ...settings,
    });
    expect(prod.json.Outputs.AlarmNames?.Value).toContain(`textcat-prod-live-${suffix}`);
  });
});

describe("GitHub OIDC roles", () => {
  const role = (synth: Synthesized, roleName: string) =>
    resourcesOfType(synth.json, "AWS::IAM::Role").find(
      ([, resource]) => resource.Properties?.RoleName === roleName,
    )!;
  const trust = (synth: Synthesized, roleName: string) =>
    findStatements(role(synth, roleName)[1].Properties?.AssumeRolePolicyDocument).map(
      (found) => found.statement,
    );
  const policyOf = (synth: Synthesized, roleName: string) => {
    const [roleId] = role(synth, roleName);
    const [, policy] = resourcesOfType(synth.json, "AWS::IAM::Policy").find(([, resource]) =>
      JSON.stringify(resource.Properties?.Roles).includes(roleId),
    )!;
    return findStatements(policy.Properties?.PolicyDocument).map((found) => found.statement);
  };
  const webIdentityTrust = (subjects: string[]) => [
    {
      Effect: "Allow",
      Action: "sts:AssumeRoleWithWebIdentity",
      Principal: { Federated: expect.anything() },
      Condition: {
        StringEquals: {
          "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
          "token.actions.githubusercontent.com:sub": subjects,
        },
      },
    },
  ];

  it.each([
    ["dev", [`repo:${GITHUB}:ref:refs/heads/main`, `repo:${GITHUB}:environment:dev`]],
    ["prod", [`repo:${GITHUB}:environment:production`]],
  ])("%s deploy role: only this repository's main branch / named environment", (name, subjects) => {
    expect(trust(name === "dev" ? dev : prod, `textcat-${name}-github-deploy`)).toEqual(
      webIdentityTrust(subjects),
    );
  });

  it.each(["dev", "prod"])("%s push role: only this repository's PRs and main", (name) => {
    expect(trust(name === "dev" ? devAlone : prod, `textcat-${name}-github-push`)).toEqual(
      webIdentityTrust([`repo:${GITHUB}:pull_request`, `repo:${GITHUB}:ref:refs/heads/main`]),
    );
  });

  it("trusts the name-form subject only when configured so (older repositories)", () => {
    const named = synthStage({ stage: "prod", github: "example-org/textcat-lambda", githubSubject: "name" });
    expect(trust(named, "textcat-prod-github-deploy")).toEqual(
      webIdentityTrust(["repo:example-org/textcat-lambda:environment:production"]),
    );
    expect(JSON.stringify(trust(prod, "textcat-prod-github-deploy"))).not.toContain(
      "repo:example-org/textcat-lambda:",
    );
  });

  it("creates the account's provider, or trusts an imported one", () => {
    dev.template.hasResourceProperties("AWS::IAM::OIDCProvider", {
      Url: "https://token.actions.githubusercontent.com",
      ClientIdList: ["sts.amazonaws.com"],
    });
    devReconfigured.template.resourceCountIs("AWS::IAM::OIDCProvider", 0);
    expect(trust(devReconfigured, "textcat-dev-github-deploy")[0]?.Principal).toEqual({
      Federated: OIDC_ARN,
    });
  });

  it("keeps the account's OIDC provider when a stage is destroyed (other stages trust it)", () => {
    const [, provider] = onlyResource(dev.json, "AWS::IAM::OIDCProvider");
    expect(provider.DeletionPolicy).toBe("Retain");
    expect(provider.UpdateReplacePolicy).toBe("Retain");
  });

  it("no IAM user and no access key anywhere", () => {
    for (const { synth } of stages()) {
      synth.template.resourceCountIs("AWS::IAM::User", 0);
      synth.template.resourceCountIs("AWS::IAM::AccessKey", 0);
    }
  });

  it("deploy role: lambda on this function only, ECR on this repository only, alarm reads on *", () => {
    const statements = policyOf(prod, "textcat-prod-github-deploy");
    const [repositoryId] = onlyResource(prod.json, "AWS::ECR::Repository");
    expect(statements.map((statement) => statement.Sid)).toEqual([
      "ReadAndTagImages",
      "DeployThisFunction",
      "ReadCanaryAlarms",
    ]);
    const [images, lambda, alarms] = statements;
    expect(images?.Resource).toEqual({ "Fn::GetAtt": [repositoryId, "Arn"] });
    expect(JSON.stringify(lambda?.Resource)).toMatch(
      /":function:textcat-prod"\]\]\},.*":function:textcat-prod:\*"\]\]\}\]$/,
    );
    expect(asList(lambda?.Action)).toContain("lambda:UpdateAlias");
    expect(asList(lambda?.Action)).not.toContain("lambda:UpdateFunctionConfiguration");
    // DescribeAlarms for composite alarms needs "*" (API_DescribeAlarms.html); the stand-in enforces it
    // (tools/local-aws/test/iam.test.ts).
    expect(alarms).toMatchObject({ Action: "cloudwatch:DescribeAlarms", Resource: "*" });
    expect(prod.json.Outputs.DeployRoleArn).toBeDefined();
  });

  it("provisioned concurrency on: the deploy role may Put/Get/Delete it on versions, nothing more", () => {
    const warm = synthStage({ stage: "prod", provisionedConcurrency: "5" });
    const statements = policyOf(warm, "textcat-prod-github-deploy");
    const warming = statements.find((statement) => statement.Sid === "WarmNewVersions");
    expect(asList(warming?.Action)).toEqual([
      "lambda:DeleteProvisionedConcurrencyConfig",
      "lambda:GetProvisionedConcurrencyConfig",
      "lambda:PutProvisionedConcurrencyConfig",
    ]);
    expect(JSON.stringify(warming?.Resource)).toMatch(/^\{"Fn::Join".*":function:textcat-prod:\*"\]\]\}$/);
    expect(warm.json.Outputs.ProvisionedConcurrency?.Value).toBe("5");
    const off = policyOf(prod, "textcat-prod-github-deploy").flatMap((statement) => asList(statement.Action));
    expect(off.filter((action) => String(action).includes("Provisioned"))).toEqual([]);
    expect(prod.json.Outputs.ProvisionedConcurrency?.Value).toBe("0");
  });

  it("one repository for both stages: dev by default creates none and no push role", () => {
    dev.template.resourceCountIs("AWS::ECR::Repository", 0);
    expect(dev.json.Outputs.PushRoleArn).toBeUndefined();
    expect(Object.values(dev.json.Resources).map((resource) => resource.Properties?.RoleName)).not.toContain(
      "textcat-dev-github-push",
    );
    const [images] = policyOf(dev, "textcat-dev-github-deploy");
    expect(images?.Sid).toBe("ReadAndTagImages");
    expect(JSON.stringify(images?.Resource)).toMatch(/":repository\/textcat-prod"\]\]\}$/);
    expect(JSON.stringify(dev.json.Outputs.EcrRepository?.Value)).toContain("textcat-prod");
  });

  it("push role: ECR only, so a PR branch can never touch the function", () => {
    const statements = policyOf(prod, "textcat-prod-github-push");
    const actions = statements.flatMap((statement) => asList(statement.Action) as string[]);
    expect(actions).toContain("ecr:PutImage");
    expect(actions.filter((action) => !action.startsWith("ecr:"))).toEqual([]);
    expect(prod.json.Outputs.PushRoleArn).toBeDefined();
  });
});

describe("every policy in the template", () => {
  /** Actions that have no resource type and may therefore only be granted on "*". */
  const RESOURCE_STAR_ALLOWED = [
    "ecr:GetAuthorizationToken",
    "cloudwatch:DescribeAlarms",
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
  ];

  it.each(["dev", "prod"])("%s: no `*` action, no wildcard action, no NotAction", (name) => {
    const statements = findStatements((name === "dev" ? dev : prod).json);
    expect(statements.length).toBeGreaterThan(5);
    expect(wildcardActionProblems(statements)).toEqual([]);
  });

  it("grants Resource * only for actions that cannot be scoped", () => {
    const starActions = findStatements(dev.json)
      .filter(({ statement }) => asList(statement.Resource).includes("*"))
      .flatMap(({ statement }) => asList(statement.Action));
    expect(starActions.length).toBeGreaterThan(0);
    expect(starActions.filter((action) => !RESOURCE_STAR_ALLOWED.includes(action as string))).toEqual([]);
  });

  it("the scan catches a broad statement (so a pass above means something)", () => {
    const broad = { Statement: [{ Action: ["s3:*"] }, { Action: "*" }, { NotAction: "iam:PassRole" }] };
    expect(wildcardActionProblems(findStatements({ Nested: broad }))).toHaveLength(3);
  });
});

describe("tags and stages", () => {
  it.each(["dev", "prod"])("%s: every taggable resource has project, owner and stage", (name) => {
    const { stack, json } = name === "dev" ? dev : prod;
    const taggable = allConstructs(stack).filter(
      (construct): construct is CfnResource =>
        CfnResource.isCfnResource(construct) && TagManager.of(construct) !== undefined,
    );
    expect(taggable.length).toBeGreaterThanOrEqual(12);
    for (const resource of taggable) {
      const tags = json.Resources[stack.getLogicalId(resource)]?.Properties?.Tags;
      const pairs = Array.isArray(tags)
        ? Object.fromEntries((tags as { Key: string; Value: string }[]).map((tag) => [tag.Key, tag.Value]))
        : tags;
      expect(pairs, resource.cfnResourceType).toMatchObject({
        project: "textcat",
        owner: "example-org",
        stage: name,
      });
    }
  });

  it("prod is termination-protected and retains its logs; dev is neither", () => {
    expect(prod.stack.terminationProtection).toBe(true);
    expect(dev.stack.terminationProtection).toBe(false);
    const logPolicy = (synth: Synthesized) =>
      resourcesOfType(synth.json, "AWS::Logs::LogGroup").map(([, group]) => group.DeletionPolicy);
    expect(logPolicy(prod)).toEqual(["Retain", "Retain"]);
    expect(logPolicy(dev)).toEqual(["Delete", "Delete"]);
  });
});

interface LifecycleRule {
  rulePriority: number;
  selection: Record<string, unknown>;
}

function allConstructs(root: IConstruct): IConstruct[] {
  return [root, ...root.node.children.flatMap((child) => allConstructs(child))];
}
