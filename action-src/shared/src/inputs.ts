/**
 * Typed readers over @actions/core's inputs (INPUT_<NAME> variables). Defaults live in action.yml
 * alone: the runner sets every input's default before the action starts (and so does
 * @textcat/action-shared/runner when a bundle runs anywhere else), so the code never restates one.
 * Every problem is an InputError whose one-line message names the input.
 */
import * as core from "@actions/core";
import { InputError } from "./errors.js";

function raw(name: string): string {
  return core.getInput(name, { trimWhitespace: true });
}

export function readString(name: string, options: { required?: boolean } = {}): string {
  const value = raw(name);
  if (!value && options.required) throw new InputError(`Input "${name}" is required`);
  return value;
}

const TRUE_VALUES = ["true", "True", "TRUE"];
const FALSE_VALUES = ["false", "False", "FALSE"];

export function readBoolean(name: string): boolean {
  const value = raw(name);
  if (TRUE_VALUES.includes(value)) return true;
  if (FALSE_VALUES.includes(value)) return false;
  throw new InputError(`Input "${name}" must be true or false, got "${value}"`);
}

export interface NumberRule {
  min?: number;
  max?: number;
  integer?: boolean;
}

export function readNumber(name: string, rule: NumberRule = {}): number {
  const value = raw(name);
  if (!value) throw new InputError(`Input "${name}" is required`);
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
export function readList(name: string): string[] {
  return raw(name)
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

export function readChoice<T extends string>(name: string, choices: readonly T[]): T {
  const value = raw(name);
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new InputError(`Input "${name}" must be one of ${choices.join(", ")}, got "${value}"`);
}
