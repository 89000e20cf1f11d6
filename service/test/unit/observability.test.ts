import { describe, expect, test } from "vitest";
import { createTelemetry, recordRequest, type RequestRecord } from "../../src/observability.js";

const NOW = Date.UTC(2026, 11, 1, 0, 0, 0, 0);

interface Directive {
  Namespace: string;
  Dimensions: string[][];
  Metrics: { Name: string; Unit: string }[];
}
type Line = Record<string, unknown> & { _aws?: { Timestamp: number; CloudWatchMetrics: Directive[] } };

function record(overrides: Partial<RequestRecord> = {}): RequestRecord {
  return {
    requestId: "r-1",
    eventKind: "direct",
    method: undefined,
    path: undefined,
    status: 200,
    latencyMs: 1.23456,
    labels: ["sci.space"],
    modelSha256: "ab".repeat(32),
    coldStart: false,
    ...overrides,
  };
}

/** A telemetry that writes into an array; `env` is what Lambda would have set at init. */
function capture(env: Record<string, string | undefined> = {}) {
  const writes: string[] = [];
  const telemetry = createTelemetry(env, { write: (text) => writes.push(text), now: () => NOW });
  const lines = () => writes.map((text) => JSON.parse(text) as Line);
  const documents = () => lines().filter((line) => line._aws !== undefined);
  const logLines = () => lines().filter((line) => line._aws === undefined);
  /** Each document's metrics as "Name [dimension keys] = value". */
  const metrics = () =>
    documents().flatMap((line) =>
      (line._aws?.CloudWatchMetrics ?? []).flatMap((directive) =>
        directive.Metrics.map(
          (metric) =>
            `${metric.Name} [${directive.Dimensions.map((set) => set.join(",")).join(";")}] = ${String(line[metric.Name])}`,
        ),
      ),
    );
  return { telemetry, writes, documents, logLines, metrics };
}

describe("ColdStart", () => {
  test("an on-demand environment's first request: its own document under [service], before the others", () => {
    const { telemetry, metrics, documents } = capture({ AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand" });
    recordRequest(telemetry, record({ coldStart: true }));
    expect(metrics()).toEqual([
      "ColdStart [service] = 1",
      "Requests [service] = 1",
      "Latency [service] = 1.23456",
      "Predictions [service] = 1",
      "PredictionsByLabel [service,label] = 1",
    ]);
    expect(documents()[0]).toMatchObject({ service: "textcat", ColdStart: 1 });
    expect(documents()[0]?._aws?.CloudWatchMetrics[0]?.Namespace).toBe("textcat");
  });

  test.each([["provisioned-concurrency"], ["snap-start"], [undefined]])(
    "initialization type %s: no ColdStart, even on the first request",
    (initializationType) => {
      const { telemetry, metrics } = capture({ AWS_LAMBDA_INITIALIZATION_TYPE: initializationType });
      recordRequest(telemetry, record({ coldStart: true }));
      expect(metrics().filter((metric) => metric.startsWith("ColdStart"))).toEqual([]);
      expect(metrics()).toHaveLength(4);
    },
  );

  test("later requests of an on-demand environment: no ColdStart", () => {
    const { telemetry, metrics } = capture({ AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand" });
    recordRequest(telemetry, record({ coldStart: false }));
    expect(metrics().filter((metric) => metric.startsWith("ColdStart"))).toEqual([]);
  });
});

test("a batch: Predictions counts all, one PredictionsByLabel document per distinct label with its count", () => {
  const { telemetry, metrics, documents, logLines } = capture();
  recordRequest(telemetry, record({ labels: ["a", "b", "a", "c", "a"] }));
  expect(metrics()).toEqual([
    "Requests [service] = 1",
    "Latency [service] = 1.23456",
    "Predictions [service] = 5",
    "PredictionsByLabel [service,label] = 3",
    "PredictionsByLabel [service,label] = 1",
    "PredictionsByLabel [service,label] = 1",
  ]);
  expect(
    documents()
      .slice(1)
      .map((line) => line.label),
  ).toEqual(["a", "b", "c"]);
  expect(logLines()[0]).toMatchObject({ batchSize: 5 });
  expect(logLines()[0]).not.toHaveProperty("label");
});

test.each([
  [404, "ClientErrors", "INFO"],
  [500, "ServerErrors", "ERROR"],
])("status %i counts %s and logs at %s", (status, metric, level) => {
  const { telemetry, metrics, logLines } = capture();
  recordRequest(telemetry, record({ status, labels: [], errorCode: "some_code" }));
  expect(metrics()).toEqual([
    "Requests [service] = 1",
    "Latency [service] = 1.23456",
    `${metric} [service] = 1`,
  ]);
  expect(logLines()[0]).toMatchObject({ level, message: "request", status, errorCode: "some_code" });
});

test.each([NaN, Infinity])(
  "a latency of %s: no Latency metric, the rest of the request still counts",
  (latencyMs) => {
    const { telemetry, metrics, writes } = capture();
    expect(() => recordRequest(telemetry, record({ latencyMs }))).not.toThrow();
    expect(metrics()).toEqual([
      "Requests [service] = 1",
      "Predictions [service] = 1",
      "PredictionsByLabel [service,label] = 1",
    ]);
    expect(writes.filter((text) => text.startsWith('{"_aws"')).join("")).not.toContain("null");
  },
);

test("the log line: the request's fields, latency rounded to µs; documents share the request's timestamp", () => {
  const { telemetry, logLines, documents } = capture();
  recordRequest(telemetry, record({ method: "POST", path: "/predict", texts: ["hello"] }));
  expect(logLines()).toEqual([
    {
      level: "INFO",
      message: "request",
      timestamp: new Date(NOW).toISOString(),
      service: "textcat",
      requestId: "r-1",
      eventKind: "direct",
      method: "POST",
      path: "/predict",
      status: 200,
      latencyMs: 1.235,
      modelSha256: "ab".repeat(32),
      coldStart: false,
      label: "sci.space",
      texts: ["hello"],
    },
  ]);
  expect(documents().map((line) => line._aws?.Timestamp)).toEqual([NOW, NOW]);
});

test("settings are read when the telemetry is made, not per request", () => {
  const env: Record<string, string | undefined> = { LOG_LEVEL: "WARN" };
  const { telemetry, logLines, metrics } = capture(env);
  env.LOG_LEVEL = "DEBUG";
  env.AWS_LAMBDA_INITIALIZATION_TYPE = "on-demand";
  recordRequest(telemetry, record({ coldStart: true }));
  expect(logLines()).toEqual([]);
  expect(metrics().filter((metric) => metric.startsWith("ColdStart"))).toEqual([]);
});
