import { ArnFormat, Aws, CfnOutput, Stack, Tags, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import type { InfraConfig } from "./config.js";
import { GithubRoles } from "./github-roles.js";
import { HttpEndpoint } from "./http-endpoint.js";
import { CustomDomain } from "./custom-domain.js";
import { ImageRepository } from "./image-repository.js";
import { LiveAlarms } from "./live-alarms.js";
import { LiveDashboard } from "./live-dashboard.js";
import { LiveFunction } from "./live-function.js";
import { LIVE_ALIAS, resourceNames } from "./names.js";

/** Everything one stage needs: registry, function + alias, HTTP API, alarms and the GitHub OIDC roles. */
export class TextcatStack extends Stack {
  constructor(scope: Construct, config: InfraConfig, props: StackProps = {}) {
    const names = resourceNames(config.project, config.stage);
    super(scope, names.stackName, {
      ...props,
      description: `textcat-lambda ${config.stage}: image registry, function, alias ${LIVE_ALIAS}, HTTP API, alarms, GitHub OIDC roles`,
      terminationProtection: config.stage === "prod",
    });
    const functionArn = this.formatArn({
      service: "lambda",
      resource: "function",
      resourceName: names.functionName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    const images = new ImageRepository(this, "Images", {
      repositoryName: names.repositoryName,
      imageExpiryDays: config.imageExpiryDays,
      functionArns: [functionArn, `${functionArn}:*`],
    });
    const service = new LiveFunction(this, "Service", {
      functionName: names.functionName,
      logGroupName: names.logGroupName,
      memoryMb: config.memoryMb,
      timeoutSeconds: config.timeoutSeconds,
      reservedConcurrency: config.reservedConcurrency,
      logRetentionDays: config.logRetentionDays,
      retainLogs: config.retainLogs,
      corsOrigins: config.corsOrigins,
    });
    const endpoint = new HttpEndpoint(this, "Http", {
      apiName: names.apiName,
      alias: service.alias,
      throttleRateLimit: config.throttleRateLimit,
      throttleBurstLimit: config.throttleBurstLimit,
      corsOrigins: config.corsOrigins,
      auth: config.auth,
      logRetentionDays: config.logRetentionDays,
      retainLogs: config.retainLogs,
    });
    const alarms = new LiveAlarms(this, "Alarms", {
      alias: service.alias,
      names: names.alarms,
      p99DurationAlarmMs: config.p99DurationAlarmMs,
    });
    const dashboard = new LiveDashboard(this, "Dashboard", {
      dashboardName: names.dashboardName,
      region: Aws.REGION,
      alias: service.alias,
      stage: endpoint.stage,
      alarms: alarms.alarms,
    });
    const domain =
      config.customDomain &&
      new CustomDomain(this, "Domain", {
        config: config.customDomain,
        api: endpoint.api,
        stage: endpoint.stage,
      });
    const github = new GithubRoles(this, "Github", {
      pushRoleName: names.pushRoleName,
      deployRoleName: names.deployRoleName,
      github: config.github,
      githubEnvironment: config.githubEnvironment,
      trustMainBranch: config.trustMainBranch,
      oidcProviderArn: config.oidcProviderArn,
      repositoryArn: images.repository.repositoryArn,
      functionArn,
      provisionedConcurrency: config.provisionedConcurrency,
      functionName: names.functionName,
    });

    for (const [key, value] of Object.entries({
      project: config.project,
      owner: config.owner,
      stage: config.stage,
    })) {
      Tags.of(this).add(key, value);
    }
    const outputs: Record<string, [string, string]> = {
      ApiUrl: [endpoint.stage.url, "HTTP endpoint (POST /v1/predict, GET /v1/health)"],
      PushRoleArn: [
        github.pushRole.roleArn,
        "repository variable AWS_ROLE_ARN (PR and main jobs push images)",
      ],
      DeployRoleArn: [
        github.deployRole.roleArn,
        `variable AWS_ROLE_ARN of GitHub environment ${config.githubEnvironment} (promote, rollback)`,
      ],
      AwsRegion: [Aws.REGION, "repository variable AWS_REGION"],
      EcrRepository: [images.repository.repositoryName, "repository variable ECR_REPOSITORY"],
      EcrRepositoryUri: [images.repository.repositoryUri, "where build-test-push pushes"],
      FunctionName: [names.functionName, "repository variable FUNCTION_NAME"],
      AliasName: [LIVE_ALIAS, "alias the API serves; promote and rollback move it"],
      AlarmNames: [
        Object.values(names.alarms).join(","),
        "repository variable ALARM_NAMES (promote's canary)",
      ],
      ProvisionedConcurrency: [
        String(config.provisionedConcurrency),
        "repository variable PROVISIONED_CONCURRENCY (promote warms each new version; 0 = off)",
      ],
      GithubEnvironment: [
        config.githubEnvironment,
        "GitHub environment whose jobs may assume the deploy role",
      ],
      OidcProviderArn: [github.provider.oidcProviderArn, "pass as -c oidcProviderArn=... to a second stage"],
      DashboardUrl: [dashboard.url, "repository variable DASHBOARD_URL (linked from promote's job summary)"],
      ...(domain && {
        StableUrl: [domain.url, "the URL clients use: survives replacing the API"],
        DomainTarget: [
          domain.domain.regionalDomainName,
          "point the domain here (CNAME) when its DNS is not the Route 53 zone given",
        ],
      }),
    };
    for (const [id, [value, description]] of Object.entries(outputs)) {
      new CfnOutput(this, id, { value, description });
    }
  }
}
