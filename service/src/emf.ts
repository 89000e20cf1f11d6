/**
 * One CloudWatch embedded metric format (EMF) document per call, as one JSON line. The rules relied on, from
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html:
 * - "Embedded metric format documents MUST contain the following top-level member on the root node":
 *   `_aws`, whose "Timestamp" "MUST be expressed as the number of milliseconds after Jan 1, 1970 00:00:00 UTC"
 *   and whose "CloudWatchMetrics" is "An array of MetricDirective object".
 * - "MetricDirectives MUST contain the following members: Namespace ... Dimensions — A DimensionSet array ...
 *   Metrics — An array of MetricDefinition objects. This array MUST NOT contain more than 100 MetricDefinition
 *   objects."
 * - "A DimensionSet MUST NOT contain more than 30 dimension keys." "The values within this array MUST also be
 *   members on the root-node"; "The target member MUST have a string value. This value MUST NOT contain more than
 *   1024 characters."
 * - A MetricDefinition "MUST contain" Name; "Unit ... Values SHOULD be valid CloudWatch metric units". "A metric
 *   target MUST be a numeric value": JSON has no NaN or Infinity (JSON.stringify writes null), so a metric whose
 *   value is not finite is left out rather than sent as an invalid document.
 */

/** The CloudWatch units the service uses (MetricDatum's unit names). */
export type MetricUnit = "Count" | "Milliseconds";

export interface MetricValue {
  name: string;
  unit: MetricUnit;
  value: number;
}

export interface EmfDocument {
  namespace: string;
  /** Dimension key → value, in the order of the document's one DimensionSet. */
  dimensions: Readonly<Record<string, string>>;
  metrics: readonly MetricValue[];
  /** Milliseconds since the Unix epoch. */
  timestamp: number;
}

export const MAX_METRICS_PER_DIRECTIVE = 100;
export const MAX_DIMENSIONS_PER_SET = 30;
export const MAX_DIMENSION_VALUE_CHARS = 1024;

/**
 * The document as one line of JSON, or undefined when no metric has a finite value. More metrics or dimensions
 * than the specification allows is the caller's mistake and throws (the handler never lets telemetry fail a
 * request).
 */
export function emfLine(document: EmfDocument): string | undefined {
  const { namespace, dimensions, metrics, timestamp } = document;
  if (metrics.length > MAX_METRICS_PER_DIRECTIVE) {
    throw new RangeError(
      `an EMF directive holds at most ${MAX_METRICS_PER_DIRECTIVE} metrics, got ${metrics.length}`,
    );
  }
  const keys = Object.keys(dimensions);
  if (keys.length > MAX_DIMENSIONS_PER_SET) {
    throw new RangeError(
      `an EMF dimension set holds at most ${MAX_DIMENSIONS_PER_SET} keys, got ${keys.length}`,
    );
  }
  const definitions: { Name: string; Unit: MetricUnit }[] = [];
  const values: Record<string, number> = {};
  for (const metric of metrics) {
    if (!Number.isFinite(metric.value)) continue;
    definitions.push({ Name: metric.name, Unit: metric.unit });
    values[metric.name] = metric.value;
  }
  if (definitions.length === 0) return undefined;
  const root: Record<string, unknown> = {
    _aws: {
      Timestamp: Math.round(timestamp),
      CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [keys], Metrics: definitions }],
    },
  };
  for (const key of keys) root[key] = (dimensions[key] as string).slice(0, MAX_DIMENSION_VALUE_CHARS);
  Object.assign(root, values);
  return JSON.stringify(root);
}
