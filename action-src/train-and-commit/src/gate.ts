import type { HeadlineMetrics } from "./metrics.js";

export interface GateRule {
  minAccuracy: number;
  maxAccuracyDrop: number;
}

export interface GateResult {
  passed: boolean;
  /** One line per broken rule, naming the metric and the numbers. */
  failures: string[];
}

/** Rounding noise below this is not a drop (metrics are written with limited precision). */
const EPSILON = 1e-9;

/** The quality gate: an absolute floor, and a maximum drop against the base branch's model (if any). */
export function evaluateGate(
  current: HeadlineMetrics,
  base: HeadlineMetrics | undefined,
  rule: GateRule,
): GateResult {
  const failures: string[] = [];
  if (current.accuracy + EPSILON < rule.minAccuracy) {
    failures.push(`accuracy ${fmt(current.accuracy)} is below the minimum ${fmt(rule.minAccuracy)}`);
  }
  if (base) {
    const drop = base.accuracy - current.accuracy;
    if (drop > rule.maxAccuracyDrop + EPSILON) {
      failures.push(
        `accuracy ${fmt(current.accuracy)} dropped ${fmt(drop)} below the base model's ${fmt(base.accuracy)} ` +
          `(max allowed drop ${fmt(rule.maxAccuracyDrop)})`,
      );
    }
  }
  return { passed: failures.length === 0, failures };
}

function fmt(value: number): string {
  return value.toFixed(4);
}
