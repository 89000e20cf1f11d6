import { describe, expect, test } from "vitest";
import {
  emfLine,
  type EmfDocument,
  MAX_DIMENSION_VALUE_CHARS,
  MAX_DIMENSIONS_PER_SET,
  MAX_METRICS_PER_DIRECTIVE,
  type MetricValue,
} from "../../src/emf.js";

const TIMESTAMP = Date.UTC(2026, 0, 2, 3, 4, 5, 678);

function documentWith(overrides: Partial<EmfDocument> = {}): EmfDocument {
  return {
    namespace: "ns",
    dimensions: { service: "svc", label: "sci.space" },
    metrics: [
      { name: "Requests", unit: "Count", value: 1 },
      { name: "Latency", unit: "Milliseconds", value: 0.25 },
    ],
    timestamp: TIMESTAMP,
    ...overrides,
  };
}

function parsed(document: EmfDocument): Record<string, unknown> {
  const line = emfLine(document);
  if (line === undefined) throw new Error("expected a document");
  return JSON.parse(line) as Record<string, unknown>;
}

interface Directive {
  Namespace: string;
  Dimensions: string[][];
  Metrics: { Name: string; Unit?: string }[];
}

/**
 * The spec's rules as checks on a parsed document (the rules are quoted in service/src/emf.ts): `_aws` with an
 * integer Timestamp and MetricDirectives; every dimension key a string root member of at most 1,024 characters;
 * every metric a numeric root member; at most 100 metrics per directive and 30 keys per dimension set.
 */
function specViolations(root: Record<string, unknown>): string[] {
  const violations: string[] = [];
  const aws = root._aws as { Timestamp?: unknown; CloudWatchMetrics?: Directive[] } | undefined;
  if (aws === undefined) return ["no _aws"];
  if (!Number.isInteger(aws.Timestamp)) violations.push("Timestamp is not an integer");
  for (const directive of aws.CloudWatchMetrics ?? []) {
    if (typeof directive.Namespace !== "string" || directive.Namespace === "") violations.push("Namespace");
    if (directive.Metrics.length > 100) violations.push("more than 100 metrics");
    for (const set of directive.Dimensions) {
      if (set.length > 30) violations.push("more than 30 dimension keys");
      for (const key of set) {
        const value = root[key];
        if (typeof value !== "string" || value.length > 1024) violations.push(`dimension ${key}`);
      }
    }
    for (const metric of directive.Metrics) {
      if (typeof root[metric.Name] !== "number") violations.push(`metric ${metric.Name}`);
    }
  }
  return violations;
}

test("the checker finds what an invalid document gets wrong", () => {
  // A NaN latency as JSON.stringify writes it, and a dimension key with no root member.
  const invalid = {
    _aws: {
      Timestamp: 1.5,
      CloudWatchMetrics: [{ Namespace: "ns", Dimensions: [["service"]], Metrics: [{ Name: "Latency" }] }],
    },
    Latency: null,
  };
  expect(specViolations(invalid)).toEqual([
    "Timestamp is not an integer",
    "dimension service",
    "metric Latency",
  ]);
});

describe("emfLine", () => {
  test("one line: _aws first with the timestamp in ms, one directive, dimensions and values as root members", () => {
    const line = emfLine(documentWith());
    expect(line).not.toContain("\n");
    expect(line?.startsWith('{"_aws"')).toBe(true);
    expect(JSON.parse(line as string)).toEqual({
      _aws: {
        Timestamp: TIMESTAMP,
        CloudWatchMetrics: [
          {
            Namespace: "ns",
            Dimensions: [["service", "label"]],
            Metrics: [
              { Name: "Requests", Unit: "Count" },
              { Name: "Latency", Unit: "Milliseconds" },
            ],
          },
        ],
      },
      service: "svc",
      label: "sci.space",
      Requests: 1,
      Latency: 0.25,
    });
    expect(specViolations(parsed(documentWith()))).toEqual([]);
  });

  test("a fractional clock reading becomes whole milliseconds", () => {
    const aws = parsed(documentWith({ timestamp: TIMESTAMP + 0.6 }))._aws as { Timestamp: number };
    expect(aws.Timestamp).toBe(TIMESTAMP + 1);
  });

  test.each([NaN, Infinity, -Infinity])(
    "a metric whose value is %s is left out, the others stay",
    (value) => {
      const root = parsed(
        documentWith({
          metrics: [
            { name: "Requests", unit: "Count", value: 1 },
            { name: "Latency", unit: "Milliseconds", value },
          ],
        }),
      );
      expect(specViolations(root)).toEqual([]);
      expect(root).not.toHaveProperty("Latency");
      expect((root._aws as { CloudWatchMetrics: Directive[] }).CloudWatchMetrics[0]?.Metrics).toEqual([
        { Name: "Requests", Unit: "Count" },
      ]);
    },
  );

  test("no document at all when no metric has a finite value", () => {
    expect(emfLine(documentWith({ metrics: [{ name: "Latency", unit: "Milliseconds", value: NaN }] }))).toBe(
      undefined,
    );
    expect(emfLine(documentWith({ metrics: [] }))).toBe(undefined);
  });

  test("100 metrics per directive and 30 dimension keys are the limits", () => {
    const metrics = (count: number): MetricValue[] =>
      Array.from({ length: count }, (_, i) => ({ name: `M${i}`, unit: "Count", value: i }));
    const dimensions = (count: number) =>
      Object.fromEntries(Array.from({ length: count }, (_, i) => [`d${i}`, `v${i}`]));

    const widest = parsed(
      documentWith({
        metrics: metrics(MAX_METRICS_PER_DIRECTIVE),
        dimensions: dimensions(MAX_DIMENSIONS_PER_SET),
      }),
    );
    expect(specViolations(widest)).toEqual([]);
    expect(widest.M99).toBe(99);
    expect(widest.d29).toBe("v29");

    expect(() => emfLine(documentWith({ metrics: metrics(MAX_METRICS_PER_DIRECTIVE + 1) }))).toThrow(
      /at most 100 metrics, got 101/,
    );
    expect(() => emfLine(documentWith({ dimensions: dimensions(MAX_DIMENSIONS_PER_SET + 1) }))).toThrow(
      /at most 30 keys, got 31/,
    );
  });

  test("a dimension value longer than 1,024 characters is cut to 1,024", () => {
    const root = parsed(documentWith({ dimensions: { label: "x".repeat(5000) } }));
    expect(root.label).toBe("x".repeat(MAX_DIMENSION_VALUE_CHARS));
    expect(specViolations(root)).toEqual([]);
  });

  test("an empty dimension set is allowed (the spec: a DimensionSet MAY be empty)", () => {
    const root = parsed(documentWith({ dimensions: {} }));
    expect((root._aws as { CloudWatchMetrics: Directive[] }).CloudWatchMetrics[0]?.Dimensions).toEqual([[]]);
  });
});
