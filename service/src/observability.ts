/** One structured log line and one set of CloudWatch embedded metrics per request (Powertools). */
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { LABEL_DIMENSION, METRIC, METRICS_NAMESPACE, SERVICE_NAME } from "./metric-names.js";

export interface Telemetry {
  logger: Logger;
  metrics: Metrics;
  /**
   * Publishes one PredictionsByLabel document per label. One instance reused for every label and
   * request: `metrics.singleMetric()` builds a new Metrics (environment reads, a Console) per call,
   * which cost more than the prediction itself.
   */
  labelMetrics: Metrics;
}

export function createTelemetry(): Telemetry {
  return {
    logger: new Logger({ serviceName: SERVICE_NAME }),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME }),
    labelMetrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME }),
  };
}

export interface RequestRecord {
  requestId: string | undefined;
  eventKind: string;
  method: string | undefined;
  path: string | undefined;
  status: number;
  latencyMs: number;
  labels: string[];
  modelSha256: string;
  errorCode?: string;
  errorMessage?: string;
  coldStart: boolean;
  /** Only when LOG_REQUEST_TEXT is set. */
  texts?: string[];
}

function countLabels(labels: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return counts;
}

export function recordRequest(telemetry: Telemetry, record: RequestRecord): void {
  const { logger, metrics, labelMetrics } = telemetry;
  const { labels, texts, ...fields } = record;
  const line = {
    ...fields,
    latencyMs: Math.round(record.latencyMs * 1000) / 1000,
    ...(labels.length === 1 ? { label: labels[0] } : {}),
    ...(labels.length > 1 ? { batchSize: labels.length } : {}),
    ...(texts !== undefined ? { texts } : {}),
  };
  if (record.status >= 500) logger.error("request", line);
  else logger.info("request", line);

  // Powertools emits ColdStart (dimension service only: no function name is configured) on its first call per
  // Metrics instance, i.e. once per execution environment; the handler's flag keeps it off later requests.
  if (record.coldStart) metrics.captureColdStartMetric();
  metrics.addMetric(METRIC.requests, MetricUnit.Count, 1);
  metrics.addMetric(METRIC.latency, MetricUnit.Milliseconds, record.latencyMs);
  if (record.status >= 400) {
    metrics.addMetric(record.status >= 500 ? METRIC.serverErrors : METRIC.clientErrors, MetricUnit.Count, 1);
  }
  if (labels.length > 0) metrics.addMetric(METRIC.predictions, MetricUnit.Count, labels.length);
  metrics.publishStoredMetrics();
  // publishStoredMetrics clears the label dimension with the metric, so each document has its own.
  for (const [label, count] of countLabels(labels)) {
    labelMetrics.addDimension(LABEL_DIMENSION, label);
    labelMetrics.addMetric(METRIC.predictionsByLabel, MetricUnit.Count, count);
    labelMetrics.publishStoredMetrics();
  }
}
