/** One structured log line and the CloudWatch embedded metrics of each request. */
import type { Env } from "./config.js";
import { emfLine, type EmfDocument, type MetricValue } from "./emf.js";
import { createLogger, type Logger, logThreshold } from "./log-line.js";
import {
  LABEL_DIMENSION,
  METRIC,
  METRICS_NAMESPACE,
  SERVICE_DIMENSION,
  SERVICE_NAME,
} from "./metric-names.js";

export interface Telemetry {
  logger: Logger;
  /**
   * Whether this execution environment's first request counts as a cold start: only when Lambda initialized it
   * on demand ("AWS_LAMBDA_INITIALIZATION_TYPE – The initialization type of the function, which is either
   * on-demand or provisioned-concurrency": https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html).
   * Provisioned concurrency initializes ahead of traffic; as Powertools did, any other or missing value (a local
   * run) does not count either.
   */
  countsColdStart: boolean;
  writeLine: (text: string) => void;
  /** Wall clock for the documents' timestamps (ms since the epoch). */
  now: () => number;
}

export interface TelemetryOptions {
  write?: (text: string) => void;
  now?: () => number;
}

/** Reads its settings from `env` once; per line only `_X_AMZN_TRACE_ID` (it changes per invocation). */
export function createTelemetry(env: Env = process.env, options: TelemetryOptions = {}): Telemetry {
  const writeLine = options.write ?? ((text: string) => void process.stdout.write(text));
  const now = options.now ?? Date.now;
  return {
    logger: createLogger({ service: SERVICE_NAME, threshold: logThreshold(env), write: writeLine, now }),
    countsColdStart: env.AWS_LAMBDA_INITIALIZATION_TYPE?.trim() === "on-demand",
    writeLine,
    now,
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

const SERVICE_ONLY = { [SERVICE_DIMENSION]: SERVICE_NAME };

/**
 * The request's EMF documents: ColdStart alone (first request of an on-demand environment), then Requests,
 * Latency, ClientErrors or ServerErrors, Predictions under [service], then one PredictionsByLabel per distinct
 * label under [service, label].
 */
export function requestDocuments(
  record: RequestRecord,
  countsColdStart: boolean,
  timestamp: number,
): EmfDocument[] {
  const documents: EmfDocument[] = [];
  const document = (dimensions: Record<string, string>, metrics: MetricValue[]): EmfDocument => ({
    namespace: METRICS_NAMESPACE,
    dimensions,
    metrics,
    timestamp,
  });
  if (record.coldStart && countsColdStart) {
    documents.push(document(SERVICE_ONLY, [{ name: METRIC.coldStart, unit: "Count", value: 1 }]));
  }
  const metrics: MetricValue[] = [
    { name: METRIC.requests, unit: "Count", value: 1 },
    { name: METRIC.latency, unit: "Milliseconds", value: record.latencyMs },
  ];
  if (record.status >= 400) {
    const name = record.status >= 500 ? METRIC.serverErrors : METRIC.clientErrors;
    metrics.push({ name, unit: "Count", value: 1 });
  }
  if (record.labels.length > 0) {
    metrics.push({ name: METRIC.predictions, unit: "Count", value: record.labels.length });
  }
  documents.push(document(SERVICE_ONLY, metrics));
  for (const [label, count] of countLabels(record.labels)) {
    const dimensions = { [SERVICE_DIMENSION]: SERVICE_NAME, [LABEL_DIMENSION]: label };
    documents.push(document(dimensions, [{ name: METRIC.predictionsByLabel, unit: "Count", value: count }]));
  }
  return documents;
}

export function recordRequest(telemetry: Telemetry, record: RequestRecord): void {
  const { labels, texts, ...fields } = record;
  const line = {
    ...fields,
    latencyMs: Math.round(record.latencyMs * 1000) / 1000,
    ...(labels.length === 1 ? { label: labels[0] } : {}),
    ...(labels.length > 1 ? { batchSize: labels.length } : {}),
    ...(texts !== undefined ? { texts } : {}),
  };
  if (record.status >= 500) telemetry.logger.error("request", line);
  else telemetry.logger.info("request", line);

  const timestamp = telemetry.now();
  for (const document of requestDocuments(record, telemetry.countsColdStart, timestamp)) {
    const text = emfLine(document);
    if (text !== undefined) telemetry.writeLine(text + "\n");
  }
}
