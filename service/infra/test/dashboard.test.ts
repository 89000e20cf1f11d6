import { beforeAll, describe, expect, it } from "vitest";
import { LABEL_DIMENSION, METRIC, METRICS_NAMESPACE, SERVICE_NAME } from "@textcat/service/metric-names";
import { onlyResource, synthStage, type Synthesized } from "./synth.js";

/** The dashboard body with every CloudFormation reference written as ${Ref:<id>}, parsed. */
interface Widget {
  type: string;
  properties: { title?: string; metrics?: unknown[][]; alarms?: unknown[] };
}

function dashboardOf(synth: Synthesized): { name: unknown; widgets: Widget[] } {
  const [, dashboard] = onlyResource(synth.json, "AWS::CloudWatch::Dashboard");
  const body = dashboard.Properties?.DashboardBody as { "Fn::Join": [string, unknown[]] };
  const text = body["Fn::Join"][1]
    .map((part) => (typeof part === "string" ? part : `\${${JSON.stringify(part).replace(/"/g, "")}}`))
    .join("");
  return {
    name: dashboard.Properties?.DashboardName,
    widgets: (JSON.parse(text) as { widgets: Widget[] }).widgets,
  };
}

/** Each metric line as "namespace metric dim=value,... stat". */
function metricLines(widgets: Widget[]): string[] {
  return widgets.flatMap((widget) =>
    (widget.properties.metrics ?? []).map((line) => {
      const options = line.at(-1) as { stat?: string; expression?: string };
      if (options.expression !== undefined) return `expression ${options.expression}`;
      const [namespace, metric, ...dims] = line.slice(0, -1) as string[];
      const pairs = [];
      for (let index = 0; index < dims.length; index += 2) pairs.push(`${dims[index]}=${dims[index + 1]}`);
      return `${namespace} ${metric} ${pairs.join(",")} ${options.stat}`;
    }),
  );
}

let prod: Synthesized;
let lines: string[];
let fn: string;
let api: string;

beforeAll(() => {
  prod = synthStage({ stage: "prod" });
  lines = metricLines(dashboardOf(prod).widgets);
  fn = `\${{Ref:${onlyResource(prod.json, "AWS::Lambda::Function")[0]}}}`;
  api = `\${{Ref:${onlyResource(prod.json, "AWS::ApiGatewayV2::Api")[0]}}}`;
});

describe("stage dashboard", () => {
  it.each(["dev", "prod"])("%s: one dashboard named after the stage, its URL a stack output", (stage) => {
    const synth = stage === "prod" ? prod : synthStage({ stage });
    expect(dashboardOf(synth).name).toBe(`textcat-${stage}`);
    expect(JSON.stringify(synth.json.Outputs.DashboardUrl?.Value)).toContain(
      `/cloudwatch/home?region=",{"Ref":"AWS::Region"},"#dashboards:name=textcat-${stage}`,
    );
  });

  it("HTTP API stage: requests, 4xx, 5xx (Sum) and latency p50/p99", () => {
    const stage = `ApiId=${api},Stage=$default`;
    expect(lines).toEqual(
      expect.arrayContaining([
        `AWS/ApiGateway Count ${stage} Sum`,
        `AWS/ApiGateway 4xx ${stage} Sum`,
        `AWS/ApiGateway 5xx ${stage} Sum`,
        `AWS/ApiGateway Latency ${stage} p50`,
        `AWS/ApiGateway Latency ${stage} p99`,
      ]),
    );
  });

  it("live alias: throttles, errors, concurrency (Maximum), spillover, duration p50/p99", () => {
    const live = `FunctionName=${fn},Resource=${fn}:live`;
    expect(lines).toEqual(
      expect.arrayContaining([
        `AWS/Lambda Invocations ${live} Sum`,
        `AWS/Lambda Errors ${live} Sum`,
        `AWS/Lambda Throttles ${live} Sum`,
        `AWS/Lambda ConcurrentExecutions ${live} Maximum`,
        `AWS/Lambda ProvisionedConcurrencySpilloverInvocations ${live} Sum`,
        `AWS/Lambda Duration ${live} p50`,
        `AWS/Lambda Duration ${live} p99`,
      ]),
    );
    expect(lines.filter((line) => line.startsWith("AWS/Lambda ") && !line.includes(live))).toEqual([]);
  });

  it("service EMF metrics: cold starts and predictions by label, under the names the service emits", () => {
    expect(lines).toEqual(
      expect.arrayContaining([
        `${METRICS_NAMESPACE} ${METRIC.coldStart} service=${SERVICE_NAME} Sum`,
        `${METRICS_NAMESPACE} ${METRIC.requests} service=${SERVICE_NAME} Sum`,
        `expression SEARCH('{${METRICS_NAMESPACE},${LABEL_DIMENSION},service} MetricName="${METRIC.predictionsByLabel}" service="${SERVICE_NAME}"', 'Sum', 60)`,
      ]),
    );
  });

  it("shows the three alarms promote's canary watches", () => {
    const alarms = dashboardOf(prod).widgets.flatMap((widget) => widget.properties.alarms ?? []);
    expect(alarms).toHaveLength(3);
  });
});
