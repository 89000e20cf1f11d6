/**
 * The golden-requests format: `model/golden.json` and the files promote and rollback send. A JSON list
 * whose items are either `{"text": "...", "label": "..."}` (a golden example: the text the model must
 * answer with the label, sent to the service as `{"text": ...}`) or `{"request": <any payload>,
 * "expect": "<label>"}` (a payload sent as it is).
 */

export class GoldenFormatError extends Error {
  override name = "GoldenFormatError";
}

export interface GoldenExample {
  text: string;
  label: string;
}

export interface GoldenCase {
  request: unknown;
  expect: string;
}

/** Golden requests are sent one by one before any traffic moves; more would slow every deploy. */
export const MAX_GOLDEN_CASES = 200;

type Fields = Record<string, unknown>;
const EXAMPLE_SHAPE = '{"text", "label"}';

/** The JSON of a golden file's text; `source` names the file in the error. */
export function parseGoldenJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new GoldenFormatError(`${source} is not valid JSON`, { cause: error });
  }
}

/** A golden examples file (`model/golden.json`): a non-empty list of {text, label}. */
export function parseGoldenExamples(text: string, source: string): GoldenExample[] {
  return readItems(parseGoldenJson(text, source), source, EXAMPLE_SHAPE, readExample);
}

/** A golden requests file: a non-empty list of golden examples or {request, expect} items. */
export function parseGoldenCases(json: unknown, source: string): GoldenCase[] {
  const items = readItems(json, source, `${EXAMPLE_SHAPE} or {"request", "expect"}`, (fields): GoldenCase => {
    if ("request" in fields) return { request: fields.request, expect: readString(fields, "expect", "an") };
    const example = readExample(fields);
    return { request: { text: example.text }, expect: example.label };
  });
  if (items.length > MAX_GOLDEN_CASES) {
    throw new GoldenFormatError(
      `${source}: ${items.length} golden requests, at most ${MAX_GOLDEN_CASES} are allowed`,
    );
  }
  return items;
}

/** Reads each item of a non-empty list; an error names the file, the item and the bad field. */
function readItems<T>(json: unknown, source: string, shape: string, readItem: (fields: Fields) => T): T[] {
  if (!Array.isArray(json) || json.length === 0) {
    throw new GoldenFormatError(`${source} must be a non-empty JSON array of ${shape}`);
  }
  return json.map((item: unknown, index) => {
    const where = `${source}: item ${index}`;
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      throw new GoldenFormatError(`${where} must be ${shape}`);
    }
    try {
      return readItem(item as Fields);
    } catch (error) {
      throw new GoldenFormatError(`${where} ${(error as Error).message}`, { cause: error });
    }
  });
}

function readExample(fields: Fields): GoldenExample {
  const text = readString(fields, "text", "a non-empty");
  if (!text.trim()) throw new GoldenFormatError('must have a non-empty "text" string');
  return { text, label: readString(fields, "label", "a") };
}

/** The string field `name`, or an error that names it. */
function readString(fields: Fields, name: string, article: string): string {
  const value = fields[name];
  if (typeof value !== "string") throw new GoldenFormatError(`must have ${article} "${name}" string`);
  return value;
}
