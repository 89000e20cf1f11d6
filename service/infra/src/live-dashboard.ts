import { Duration } from "aws-cdk-lib";
import type * as apigw from "aws-cdk-lib/aws-apigatewayv2";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";
import {
  LABEL_DIMENSION,
  METRIC,
  METRICS_NAMESPACE,
  SERVICE_DIMENSION,
  SERVICE_NAME,
} from "@textcat/service/metric-names";

export interface LiveDashboardProps {
  dashboardName: string;
  region: string;
  alias: lambda.Alias;
  stage: apigw.IHttpStage;
  alarms: cloudwatch.IAlarm[];
}

const PERIOD = Duration.minutes(1);

/**
 * One CloudWatch dashboard per stage: what clients see at the HTTP API, what the live alias does, and what the
 * service itself reports (embedded metric format, namespace textcat).
 *
 * - HTTP API: metrics 4xx, 5xx, Count, Latency with dimensions ApiId + Stage ("ApiId, Stage: Filters API Gateway
 *   metrics for an API stage"): https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html
 * - Lambda: FunctionName + Resource `<function>:live` ("By Resource (Resource) – View metrics for a version or alias
 *   of a function"): https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics.html. ConcurrentExecutions
 *   ("Lambda emits this metric for all functions, versions, and aliases ... View this metric using MAX") and
 *   ProvisionedConcurrencySpilloverInvocations (invocations served on standard concurrency because all provisioned
 *   concurrency was in use; per version and alias):
 *   https://docs.aws.amazon.com/lambda/latest/dg/monitoring-concurrency.html
 * - Service EMF metrics carry only `service` (and `label`), so they count every version the function runs: the
 *   live alias plus the few golden requests promote sends a new version before moving live.
 *   Predictions by label is a search expression, because the labels belong to the model, not to this stack:
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/search-expression-syntax.html
 */
export class LiveDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  /** The console link promote's job summary shows. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: LiveDashboardProps) {
    super(scope, id);
    const { alias, stage } = props;
    const sum = { period: PERIOD, statistic: cloudwatch.Stats.SUM };
    const service = (metricName: string, statistic: string, label: string) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { [SERVICE_DIMENSION]: SERVICE_NAME },
        period: PERIOD,
        statistic,
        label,
      });
    const graph = (title: string, left: cloudwatch.IMetric[], unit?: string) =>
      new cloudwatch.GraphWidget({
        title,
        left,
        width: 8,
        height: 6,
        ...(unit ? { leftYAxis: { label: unit, showUnits: false } } : {}),
      });
    const percentiles = (title: string, metric: (options: cloudwatch.MetricOptions) => cloudwatch.Metric) =>
      graph(
        title,
        [50, 99].map((p) => metric({ period: PERIOD, statistic: cloudwatch.Stats.p(p), label: `p${p}` })),
        "ms",
      );

    this.dashboard = new cloudwatch.Dashboard(this, "Dashboard", {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
      widgets: [
        [
          graph("HTTP API: requests", [stage.metricCount({ ...sum, label: "requests" })]),
          graph("HTTP API: 4xx / 5xx", [
            stage.metricClientError({ ...sum, label: "4xx" }),
            stage.metricServerError({ ...sum, label: "5xx" }),
          ]),
          percentiles("HTTP API: latency", (options) => stage.metricLatency(options)),
        ],
        [
          graph("live: invocations, errors, throttles", [
            alias.metricInvocations({ ...sum, label: "invocations" }),
            alias.metricErrors({ ...sum, label: "errors" }),
            alias.metricThrottles({ ...sum, label: "throttles" }),
          ]),
          graph("live: concurrency", [
            alias.metric("ConcurrentExecutions", {
              period: PERIOD,
              statistic: cloudwatch.Stats.MAXIMUM,
              label: "concurrent executions (max)",
            }),
            alias.metric("ProvisionedConcurrencySpilloverInvocations", {
              ...sum,
              label: "provisioned-concurrency spillover",
            }),
          ]),
          percentiles("live: duration", (options) => alias.metricDuration(options)),
        ],
        [
          graph("service: cold starts (on-demand environments)", [
            service(METRIC.coldStart, cloudwatch.Stats.SUM, "cold starts"),
          ]),
          graph("service: predictions by label", [
            new cloudwatch.SearchExpression({
              expression:
                `SEARCH('{${METRICS_NAMESPACE},${LABEL_DIMENSION},${SERVICE_DIMENSION}} ` +
                `MetricName="${METRIC.predictionsByLabel}" ${SERVICE_DIMENSION}="${SERVICE_NAME}"', 'Sum', 60)`,
              label: "",
              period: PERIOD,
            }),
          ]),
          graph("service: requests and errors", [
            service(METRIC.requests, cloudwatch.Stats.SUM, "requests"),
            service(METRIC.clientErrors, cloudwatch.Stats.SUM, "client errors (4xx)"),
            service(METRIC.serverErrors, cloudwatch.Stats.SUM, "server errors (5xx)"),
          ]),
        ],
        [
          new cloudwatch.AlarmStatusWidget({
            title: "Alarms promote's canary watches",
            alarms: props.alarms,
            width: 24,
            height: 3,
          }),
        ],
      ],
    });
    // Console deep link; dashboards are global, the region only picks where the console opens.
    this.url =
      `https://${props.region}.console.aws.amazon.com/cloudwatch/home?region=${props.region}` +
      `#dashboards:name=${props.dashboardName}`;
  }
}
