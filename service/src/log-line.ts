/**
 * Structured log lines: one JSON object per call, `level` first, one write. Lambda's log-level filtering reads
 * that key: "your function code must output log events to stdout or stderr as JSON formatted objects that contain
 * a key value pair with the key "level"" and "For Lambda to use the timestamp field, you must specify the time in
 * valid RFC 3339 timestamp format"
 * (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html).
 */
import type { Env } from "./config.js";

/** Numeric thresholds as Powertools Logger had them; a line is written when its level ≥ the threshold. */
export const LOG_LEVELS = {
  TRACE: 6,
  DEBUG: 8,
  INFO: 12,
  WARN: 16,
  ERROR: 20,
  CRITICAL: 24,
  SILENT: 28,
} as const;
export type LogLevel = keyof typeof LOG_LEVELS;

function levelNamed(raw: string | undefined): LogLevel | undefined {
  const name = raw?.trim().toUpperCase();
  // Lambda's application log levels end with FATAL; CRITICAL is the same rank here.
  const level = name === "FATAL" ? "CRITICAL" : name;
  return level !== undefined && level in LOG_LEVELS ? (level as LogLevel) : undefined;
}

/**
 * The threshold, read once. Precedence as Powertools Logger 2.x had it (Logger.setOptions and
 * setInitialLogLevel), so deployed settings keep their meaning: a valid `AWS_LAMBDA_LOG_LEVEL` wins, then
 * `POWERTOOLS_LOG_LEVEL`, then `LOG_LEVEL`, else INFO; an unknown value is ignored. Unlike Powertools, names are
 * case-insensitive. Lambda's advanced logging controls set the first: "Lambda can filter your function's logs so
 * that only logs of a certain detail level or lower are sent to CloudWatch Logs" (log-level page above), and
 * "behind the scenes Lambda sets the application log level in the runtime using the AWS_LAMBDA_LOG_LEVEL
 * environment variable" (Lambda guide, "Application log-level filtering with custom runtimes", as quoted in
 * https://github.com/aws/aws-lambda-rust-runtime/issues/821 from the feature's announcement,
 * https://aws.amazon.com/blogs/compute/introducing-advanced-logging-controls-for-aws-lambda-functions/).
 * Lambda drops lines below it anyway, so a lower threshold here would only cost time.
 */
export function logThreshold(env: Env): number {
  const level =
    levelNamed(env.AWS_LAMBDA_LOG_LEVEL) ??
    levelNamed(env.POWERTOOLS_LOG_LEVEL || env.LOG_LEVEL) ??
    ("INFO" satisfies LogLevel);
  return LOG_LEVELS[level];
}

/**
 * The trace id in Lambda's `_X_AMZN_TRACE_ID` ("The X-Ray tracing header. This environment variable changes with
 * each invocation": https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html), e.g.
 * `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=557abcec3ee5a047;Sampled=1` → `1-5759e988-…`. As Powertools
 * (commons getXRayTraceIdFromEnv): the `Root` field, or the whole value when it has no `=`.
 */
export function xrayTraceId(header: string | undefined): string | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (!value.includes("=")) return value;
  for (const field of value.split(";")) {
    const [key, id] = field.split("=");
    if (key === "Root") return id;
  }
  return undefined;
}

export type LogFields = Record<string, unknown>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export interface LoggerOptions {
  service: string;
  /** From logThreshold(). */
  threshold: number;
  write?: (text: string) => void;
  now?: () => number;
  /** The current `_X_AMZN_TRACE_ID` (the one environment read per line: it changes per invocation). */
  traceHeader?: () => string | undefined;
}

export function createLogger(options: LoggerOptions): Logger {
  const { service, threshold } = options;
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const now = options.now ?? Date.now;
  const traceHeader = options.traceHeader ?? (() => process.env._X_AMZN_TRACE_ID);
  let lastHeader: string | undefined;
  let lastTraceId: string | undefined;

  function traceId(): string | undefined {
    const header = traceHeader();
    if (header !== lastHeader) {
      lastHeader = header;
      lastTraceId = xrayTraceId(header);
    }
    return lastTraceId;
  }

  function log(level: LogLevel, message: string, fields: LogFields | undefined): void {
    if (LOG_LEVELS[level] < threshold) return;
    const line = {
      level,
      message,
      timestamp: new Date(now()).toISOString(),
      service,
      xray_trace_id: traceId(),
      ...fields,
    };
    write(JSON.stringify(line) + "\n");
  }

  return {
    info: (message, fields) => log("INFO", message, fields),
    error: (message, fields) => log("ERROR", message, fields),
  };
}
