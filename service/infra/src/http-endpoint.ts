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

/**
 * HTTP API whose routes invoke the live alias: the documented `/v1` routes (service/openapi.yaml) by
 * name, everything else through `$default`, for which the service answers 404/405 itself.
 */
export class HttpEndpoint extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;

  constructor(scope: Construct, id: string, props: HttpEndpointProps) {
    super(scope, id);
    const integration = new HttpLambdaIntegration("LiveAlias", props.alias, {
      payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
    });
    this.api = new apigw.HttpApi(this, "Api", {
      apiName: props.apiName,
      description: "textcat classifier: POST /v1/predict, GET /v1/health",
      createDefaultStage: false,
      defaultIntegration: integration,
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
    // Named routes give the documented API its own route keys (per-route metrics, access logs) and
    // leave the legacy paths to "$default", which "catches requests that don't match any other
    // routes" (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html).
    this.api.addRoutes({ path: "/v1/predict", methods: [apigw.HttpMethod.POST], integration });
    this.api.addRoutes({ path: "/v1/health", methods: [apigw.HttpMethod.GET], integration });
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
