import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { CfnCondition, CfnParameter, Duration, Fn, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import * as ecrAssets from "aws-cdk-lib/aws-ecr-assets";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { LIVE_ALIAS } from "./names.js";

export interface LiveFunctionProps {
  functionName: string;
  logGroupName: string;
  memoryMb: number;
  timeoutSeconds: number;
  reservedConcurrency: number | undefined;
  logRetentionDays: number;
  retainLogs: boolean;
  corsOrigins: string[];
}

/**
 * Content hash of placeholder-image/. It is part of the function's Code in the template, and the Code must not
 * change between deploys (CloudFormation would reset $LATEST to the placeholder), so a test pins it: edit the
 * placeholder only deliberately, knowing the next deploy resets $LATEST (the live alias is not affected).
 */
export const PLACEHOLDER_IMAGE_HASH = "c6f464e9f90075ba3ceb2d812e37ae8288645efb9a400187f41346bb6e8a43f8";
const PLACEHOLDER_IMAGE_DIR = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  "..",
  "placeholder-image",
);

/**
 * The function, the version CloudFormation publishes once, and the alias `live` pointing to it.
 *
 * After the first deploy the promote action owns code, versions and the alias. This construct keeps every
 * property CloudFormation would re-assert constant: the code is a parameter (the CDK CLI reuses its previous
 * value), the version has a fixed logical id and no hash of the configuration (no `currentVersion`), and the
 * alias carries only name and initial version (no description, routing or provisioned concurrency), so
 * CloudFormation never has a reason to update it.
 */
export class LiveFunction extends Construct {
  readonly function: lambda.DockerImageFunction;
  readonly alias: lambda.Alias;
  readonly imageUriParameter: CfnParameter;

  constructor(scope: Construct, id: string, props: LiveFunctionProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.imageUriParameter = new CfnParameter(stack, "ImageUri", {
      type: "String",
      default: "",
      description:
        "Image for the first deploy only (<repo-uri>@sha256:...). Empty: a placeholder answering 503 until " +
        "the first promote. Later deploys reuse the previous value, so they never touch the code promote set.",
    });
    const usePlaceholder = new CfnCondition(stack, "UsePlaceholderImage", {
      expression: Fn.conditionEquals(this.imageUriParameter.valueAsString, ""),
    });
    const placeholder = new ecrAssets.DockerImageAsset(this, "PlaceholderImage", {
      directory: PLACEHOLDER_IMAGE_DIR,
      platform: ecrAssets.Platform.LINUX_AMD64,
    });

    const logGroup = new logs.LogGroup(this, "Logs", {
      logGroupName: props.logGroupName,
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.function = new lambda.DockerImageFunction(this, "Function", {
      functionName: props.functionName,
      description: "textcat classifier; code, versions and the live alias are managed by the promote action",
      code: lambda.DockerImageCode.fromEcr(placeholder.repository, { tagOrDigest: placeholder.imageTag }),
      architecture: lambda.Architecture.X86_64,
      memorySize: props.memoryMb,
      timeout: Duration.seconds(props.timeoutSeconds),
      reservedConcurrentExecutions: props.reservedConcurrency,
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      environment: {
        ALLOWED_ORIGINS: props.corsOrigins.join(","),
        LOG_REQUEST_TEXT: "false",
      },
    });
    const functionRole = this.function.role;
    if (functionRole) {
      Validations.of(functionRole).acknowledge({
        id: "AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
        reason:
          "AWS's policy for a function's own logs (logs:CreateLogGroup, CreateLogStream, PutLogEvents); the function needs nothing else from IAM",
      });
      Validations.of(functionRole).acknowledge({
        id: "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
        reason:
          "xray:PutTraceSegments and xray:PutTelemetryRecords (tracing ACTIVE) have no resource type: * only",
      });
    }
    const cfnFunction = this.function.node.defaultChild as lambda.CfnFunction;
    cfnFunction.addPropertyOverride(
      "Code.ImageUri",
      Fn.conditionIf(usePlaceholder.logicalId, placeholder.imageUri, this.imageUriParameter.valueAsString),
    );

    const firstVersion = new lambda.Version(this, "FirstVersion", {
      lambda: this.function,
      description: "Published once by CloudFormation; every later version is published by promote",
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.alias = new lambda.Alias(this, "LiveAlias", { aliasName: LIVE_ALIAS, version: firstVersion });
  }
}
