/**
 * Typed readers over @actions/core's inputs (INPUT_<NAME> variables). An empty input means "use the
 * fallback", which mirrors the default in action.yml so the bundle also works when run by hand.
 * Every problem is an InputError whose one-line message names the input.
 */
import * as core from "@actions/core";
import { InputError } from "./errors.js";

function raw(name: string): string {
  return core.getInput(name, { trimWhitespace: true });
}

export function readString(name: string, options: { required?: boolean; fallback?: string } = {}): string {
  const value = raw(name);
  if (value) return value;
  if (options.required) throw new InputError(`Input "${name}" is required`);
  return options.fallback ?? "";
}

const TRUE_VALUES = ["true", "True", "TRUE"];
const FALSE_VALUES = ["false", "False", "FALSE"];

export function readBoolean(name: string, fallback: boolean): boolean {
  const value = raw(name);
  if (!value) return fallback;
  if (TRUE_VALUES.includes(value)) return true;
  if (FALSE_VALUES.includes(value)) return false;
  throw new InputError(`Input "${name}" must be true or false, got "${value}"`);
}

export interface NumberRule {
  /** Used when the input is empty; without it the input is required. */
  fallback?: number;
  min?: number;
  max?: number;
  integer?: boolean;
}

export function readNumber(name: string, rule: NumberRule = {}): number {
  const value = raw(name);
  if (!value) {
    if (rule.fallback === undefined) throw new InputError(`Input "${name}" is required`);
    return rule.fallback;
  }
  const parsed = Number(value);
  const outOfRange =
    (rule.min !== undefined && parsed < rule.min) || (rule.max !== undefined && parsed > rule.max);
  if (!Number.isFinite(parsed) || (rule.integer && !Number.isInteger(parsed)) || outOfRange) {
    const kind = rule.integer ? "an integer" : "a number";
    throw new InputError(`Input "${name}" must be ${kind}${describeRange(rule)}, got "${value}"`);
  }
  return parsed;
}

function describeRange({ min, max }: NumberRule): string {
  if (min !== undefined && max !== undefined) return ` between ${min} and ${max}`;
  if (min !== undefined) return ` ≥ ${min}`;
  if (max !== undefined) return ` ≤ ${max}`;
  return "";
}

/** A list given one item per line or comma-separated; blank items are dropped. */
export function readList(name: string, fallback: readonly string[] = []): string[] {
  const value = raw(name);
  if (!value) return [...fallback];
  return value
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

export function readChoice<T extends string>(name: string, choices: readonly T[], fallback: T): T {
  const value = raw(name);
  if (!value) return fallback;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new InputError(`Input "${name}" must be one of ${choices.join(", ")}, got "${value}"`);
}
