import { afterEach, expect, test, vi } from "vitest";
import { httpV2Event, json } from "../support/events.js";
import { createTestService } from "../support/service-under-test.js";
import { captureStdout } from "../support/stdout.js";

const SECRET = "confidential-marker-7f3a9c";

function requestLines(output: string): Array<Record<string, unknown>> {
  return output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.message === "request");
}

test("one structured log line per request, with no request text", async () => {
  const service = await createTestService({ LOG_REQUEST_TEXT: "" });
  const output = await captureStdout(async () => {
    await service.handler(
      httpV2Event({ method: "POST", path: "/predict", body: json({ text: `about ${SECRET}` }) }),
    );
    await service.handler(
      httpV2Event({ method: "POST", path: "/predict", body: json({ texts: [SECRET, "b"] }) }),
    );
    await service.handler(httpV2Event({ method: "POST", path: "/predict", body: `{"text": "${SECRET}` }));
  });
  expect(output).not.toContain(SECRET);
  const lines = requestLines(output);
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatchObject({
    level: "INFO",
    requestId: "http-request-id",
    path: "/predict",
    method: "POST",
    status: 200,
    label: expect.any(String),
    modelSha256: service.model.identity.sha256,
    latencyMs: expect.any(Number),
  });
  expect(lines[1]).toMatchObject({ status: 200, batchSize: 2 });
  expect(lines[2]).toMatchObject({ status: 400, errorCode: "invalid_json" });
});

test("embedded metrics for count, latency and label", async () => {
  const service = await createTestService();
  const output = await captureStdout(() => service.handler({ text: "metrics please" }));
  const metrics = output
    .split("\n")
    .filter((line) => line.startsWith('{"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(metrics.find((m) => "Requests" in m)).toMatchObject({
    Requests: 1,
    Latency: expect.any(Number),
    Predictions: 1,
  });
  expect(metrics.find((m) => "PredictionsByLabel" in m)).toMatchObject({
    label: expect.any(String),
    PredictionsByLabel: 1,
  });
});

interface EmfLine {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  [key: string]: unknown;
}

function emfLines(output: string): EmfLine[] {
  return output
    .split("\n")
    .filter((line) => line.startsWith('{"_aws"'))
    .map((line) => JSON.parse(line) as EmfLine);
}

/**
 * Each metric as "namespace/name [dimensions]". The names are the contract with the stage's dashboard
 * (service/src/metric-names.ts; service/infra/test/dashboard.test.ts checks the dashboard reads them), written
 * out here because this suite also runs inside the image, against the bundle, without the sources.
 */
function metricIdentities(lines: EmfLine[]): string[] {
  return lines.flatMap((line) =>
    line._aws.CloudWatchMetrics.flatMap((directive) =>
      directive.Metrics.map(
        (metric) => `${directive.Namespace}/${metric.Name} [${directive.Dimensions.flat().sort().join(",")}]`,
      ),
    ),
  );
}

afterEach(() => {
  vi.unstubAllEnvs();
});

/** Two requests to one fresh service (one execution environment) started the way Lambda says it started. */
async function twoRequests(initializationType: string): Promise<[EmfLine[], EmfLine[]]> {
  // Lambda sets AWS_LAMBDA_INITIALIZATION_TYPE to on-demand, provisioned-concurrency or snap-start:
  // https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
  vi.stubEnv("AWS_LAMBDA_INITIALIZATION_TYPE", initializationType);
  const service = await createTestService();
  const first = emfLines(await captureStdout(() => service.handler({ text: "first" })));
  const second = emfLines(await captureStdout(() => service.handler({ text: "second" })));
  return [first, second];
}

const coldStart = "textcat/ColdStart [service]";

test("an on-demand environment's first request emits ColdStart, under the names the dashboard reads", async () => {
  const [first, second] = await twoRequests("on-demand");
  expect(metricIdentities(first)).toEqual([
    coldStart,
    "textcat/Requests [service]",
    "textcat/Latency [service]",
    "textcat/Predictions [service]",
    "textcat/PredictionsByLabel [label,service]",
  ]);
  expect(first[0]).toMatchObject({ ColdStart: 1, service: "textcat" });
  expect(metricIdentities(second)).not.toContain(coldStart);
  expect(metricIdentities(second)).toHaveLength(4);
});

test("a provisioned-concurrency environment was initialized ahead of traffic: no ColdStart", async () => {
  const [first] = await twoRequests("provisioned-concurrency");
  expect(metricIdentities(first)).not.toContain(coldStart);
  expect(metricIdentities(first)).toHaveLength(4);
});

test("LOG_REQUEST_TEXT=true puts the texts in the log line (debugging only)", async () => {
  const service = await createTestService({ LOG_REQUEST_TEXT: "true" });
  const output = await captureStdout(() => service.handler({ text: SECRET }));
  expect(requestLines(output)[0]?.texts).toEqual([SECRET]);
});

test("a batch emits one PredictionsByLabel document per label, request after request", async () => {
  const service = await createTestService();
  const texts = ["rocket orbit launch", "bread recipe oven", "hockey goal season", "orbit", "oven"];
  for (let round = 0; round < 2; round += 1) {
    let answer: unknown;
    const output = await captureStdout(async () => (answer = await service.handler({ texts })));
    const answered = (answer as { results: { label: string }[] }).results.map((result) => result.label);
    const expected = new Map<string, number>();
    for (const label of answered) expected.set(label, (expected.get(label) ?? 0) + 1);
    const byLabel = emfLines(output).filter((line) => "PredictionsByLabel" in line);
    expect(new Map(byLabel.map((line) => [line.label, line.PredictionsByLabel]))).toEqual(expected);
    expect(byLabel).toHaveLength(expected.size);
    expect(metricIdentities(byLabel)).toEqual(
      byLabel.map(() => "textcat/PredictionsByLabel [label,service]"),
    );
  }
});

test("the request line carries the X-Ray trace id of the invocation (Lambda's _X_AMZN_TRACE_ID)", async () => {
  const service = await createTestService();
  // "_X_AMZN_TRACE_ID – The X-Ray tracing header. This environment variable changes with each invocation."
  // https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
  vi.stubEnv(
    "_X_AMZN_TRACE_ID",
    "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=557abcec3ee5a047;Sampled=1",
  );
  const first = requestLines(await captureStdout(() => service.handler({ text: "traced" })));
  vi.stubEnv("_X_AMZN_TRACE_ID", "Root=1-67891233-abcdef012345678912345678;Sampled=0");
  const second = requestLines(await captureStdout(() => service.handler({ text: "traced again" })));
  expect(first[0]?.xray_trace_id).toBe("1-5759e988-bd862e3fe1be46a994272793");
  expect(second[0]?.xray_trace_id).toBe("1-67891233-abcdef012345678912345678");
});

test("Lambda's application log level WARN drops the INFO request line, not the metrics", async () => {
  const service = await createTestService({ AWS_LAMBDA_LOG_LEVEL: "WARN", LOG_LEVEL: "DEBUG" });
  const output = await captureStdout(() => service.handler({ text: "quiet" }));
  expect(requestLines(output)).toEqual([]);
  expect(emfLines(output).some((line) => "Requests" in line)).toBe(true);
});

test("a stdout that throws costs the telemetry, not the answer", async () => {
  const service = await createTestService();
  const write = vi.spyOn(process.stdout, "write").mockImplementation(() => {
    throw new Error("EPIPE: stdout is gone");
  });
  try {
    const answer = (await service.handler({ text: "still answered" })) as { label?: unknown };
    expect(write).toHaveBeenCalled();
    expect(typeof answer.label).toBe("string");
  } finally {
    write.mockRestore();
  }
});
