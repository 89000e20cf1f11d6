import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import * as apigw from "aws-cdk-lib/aws-apigatewayv2";
import { HttpIamAuthorizer, HttpJwtAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import type { AuthConfig } from "./config.js";

export interface HttpEndpointProps {
  apiName: string;
  alias: lambda.IFunction;
  throttleRateLimit: number;
  throttleBurstLimit: number;
  corsOrigins: string[];
  auth: AuthConfig;
  logRetentionDays: number;
  retainLogs: boolean;
}

/** HTTP API whose catch-all route invokes the live alias; the service answers 404/405 for paths and methods. */
export class HttpEndpoint extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;

  constructor(scope: Construct, id: string, props: HttpEndpointProps) {
    super(scope, id);
    this.api = new apigw.HttpApi(this, "Api", {
      apiName: props.apiName,
      description: "textcat classifier: POST /predict, GET /health",
      createDefaultStage: false,
      defaultIntegration: new HttpLambdaIntegration("LiveAlias", props.alias, {
        payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
      }),
      defaultAuthorizer: authorizer(props.auth),
      corsPreflight:
        props.corsOrigins.length === 0
          ? undefined
          : {
              allowOrigins: props.corsOrigins,
              allowMethods: [
                apigw.CorsHttpMethod.GET,
                apigw.CorsHttpMethod.POST,
                apigw.CorsHttpMethod.OPTIONS,
              ],
              allowHeaders: ["content-type", "authorization", "x-amz-date", "x-amz-security-token"],
              maxAge: Duration.hours(1),
            },
    });
    const accessLogs = new logs.LogGroup(this, "AccessLogs", {
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.stage = new apigw.HttpStage(this, "DefaultStage", {
      httpApi: this.api,
      stageName: "$default",
      autoDeploy: true,
      throttle: { rateLimit: props.throttleRateLimit, burstLimit: props.throttleBurstLimit },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
      },
    });
    if (props.auth.mode === "none") {
      Validations.of(this.api).acknowledge({
        id: "AwsSolutions::AwsSolutions-APIG4",
        reason:
          "auth none (the default) is a public classifier behind per-stage throttling; -c auth=iam or -c auth=jwt adds an authorizer",
      });
    }
  }
}

function authorizer(auth: AuthConfig): apigw.IHttpRouteAuthorizer | undefined {
  switch (auth.mode) {
    case "none":
      return undefined;
    case "iam":
      return new HttpIamAuthorizer();
    case "jwt":
      return new HttpJwtAuthorizer("JwtAuthorizer", auth.issuer, { jwtAudience: auth.audience });
  }
}
