import { ArnFormat, Aws, CfnOutput, Stack, Tags, type StackProps } from "aws-cdk-lib";
import * as ecr from "aws-cdk-lib/aws-ecr";
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
import { STAGES } from "./stages.js";

/** Everything one stage needs: registry, function + alias, HTTP API, alarms and the GitHub OIDC roles. */
export class TextcatStack extends Stack {
  constructor(scope: Construct, config: InfraConfig, props: StackProps = {}) {
    const names = resourceNames(config.project, config.stage);
    super(scope, names.stackName, {
      ...props,
      description: `textcat-lambda ${config.stage}: image registry, function, alias ${LIVE_ALIAS}, HTTP API, alarms, GitHub OIDC roles`,
      terminationProtection: config.stage === "prod",
    });
    const functionArnOf = (functionName: string) =>
      this.formatArn({
        service: "lambda",
        resource: "function",
        resourceName: functionName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    const functionArn = functionArnOf(names.functionName);

    // One repository for all stages, so promote moves one digest dev → prod. The owning stage creates it
    // (with the push role); the others name it. Lambda pulls from a repository in its own account with
    // the repository policy's grant to lambda.amazonaws.com (image-repository.ts); the stages share one
    // account.
    const imageNames = resourceNames(config.project, config.imageStage);
    const ownsImages = config.imageStage === config.stage;
    const repository: ecr.IRepository = ownsImages
      ? new ImageRepository(this, "Images", {
          repositoryName: imageNames.repositoryName,
          imageExpiryDays: config.imageExpiryDays,
          functionArns: STAGES.flatMap((stage) => {
            const arn = functionArnOf(resourceNames(config.project, stage).functionName);
            return [arn, `${arn}:*`];
          }),
        }).repository
      : ecr.Repository.fromRepositoryName(this, "Images", imageNames.repositoryName);
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
      pushRoleName: ownsImages ? names.pushRoleName : undefined,
      deployRoleName: names.deployRoleName,
      github: config.github,
      githubEnvironment: config.githubEnvironment,
      trustMainBranch: config.trustMainBranch,
      oidcProviderArn: config.oidcProviderArn,
      repositoryArn: repository.repositoryArn,
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
      ...(github.pushRole && {
        PushRoleArn: [
          github.pushRole.roleArn,
          "repository variable AWS_ROLE_ARN (PR and main jobs push images)",
        ],
      }),
      DeployRoleArn: [
        github.deployRole.roleArn,
        config.stage === "prod"
          ? `variable AWS_ROLE_ARN of GitHub environment ${config.githubEnvironment} (promote, rollback)`
          : "repository variable DEV_ROLE_ARN (deploy.yml's dev job, rollback.yml with stage dev)",
      ],
      AwsRegion: [Aws.REGION, "repository variable AWS_REGION"],
      EcrRepository: [
        repository.repositoryName,
        "repository variable ECR_REPOSITORY (shared by every stage)",
      ],
      EcrRepositoryUri: [repository.repositoryUri, "where build-test-push pushes"],
      FunctionName: [
        names.functionName,
        config.stage === "prod"
          ? "repository variable FUNCTION_NAME"
          : "repository variable DEV_FUNCTION_NAME",
      ],
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
