/**
 * Golden requests: invoke payloads with the label each must be answered with. The file is a JSON
 * list whose items are either `{"text": "...", "label": "..."}` (the model's golden examples,
 * model/golden.json, sent as `{"text": ...}`) or `{"request": <any payload>, "expect": "<label>"}`.
 */
import { readFile } from "node:fs/promises";
import { InputError } from "../errors.js";

export interface GoldenCase {
  request: unknown;
  expect: string;
}

const MAX_CASES = 200;

export function parseGoldenCases(json: unknown, source: string): GoldenCase[] {
  if (!Array.isArray(json) || json.length === 0) {
    throw new InputError(`${source}: golden requests must be a non-empty JSON list`);
  }
  if (json.length > MAX_CASES) {
    throw new InputError(`${source}: ${json.length} golden requests, at most ${MAX_CASES} are allowed`);
  }
  return json.map((item: unknown, index) => {
    const fields = (typeof item === "object" && item !== null ? item : {}) as Record<string, unknown>;
    if (typeof fields.text === "string" && typeof fields.label === "string") {
      return { request: { text: fields.text }, expect: fields.label };
    }
    if ("request" in fields && typeof fields.expect === "string") {
      return { request: fields.request, expect: fields.expect };
    }
    throw new InputError(
      `${source}: item ${index} must be {"text", "label"} or {"request", "expect"} with string labels`,
    );
  });
}

export async function readGoldenFile(path: string): Promise<GoldenCase[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new InputError(`golden requests file "${path}" cannot be read`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InputError(`golden requests file "${path}" is not valid JSON`);
  }
  return parseGoldenCases(json, path);
}

/** What one invocation answered, read from the service's direct-invoke or HTTP-shaped reply. */
export interface Answer {
  label?: string;
  modelSha256?: string;
  /** Set when the reply is an error (HTTP status ≥ 400, or an `error` field without a label). */
  error?: string;
}

type Fields = Record<string, unknown>;
const asFields = (value: unknown): Fields | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;

export function readAnswer(payload: unknown): Answer {
  let body = asFields(payload);
  if (body && typeof body.statusCode === "number" && typeof body.body === "string") {
    const status = body.statusCode;
    try {
      body = asFields(JSON.parse(body.body));
    } catch {
      body = undefined;
    }
    if (status >= 400) return { error: `HTTP ${status}: ${describeError(body)}` };
  }
  if (!body) return { error: "the reply is not a JSON object" };
  const label =
    typeof body.label === "string"
      ? body.label
      : typeof body.response === "string"
        ? body.response
        : undefined;
  if (label === undefined) return { error: describeError(body) };
  const model = asFields(body.model);
  const modelSha256 = typeof model?.sha256 === "string" ? model.sha256 : undefined;
  return { label, modelSha256 };
}

function describeError(body: Fields | undefined): string {
  const error = body?.error ?? body?.message;
  if (typeof error === "string") return error.slice(0, 200);
  const nested = asFields(error);
  if (typeof nested?.message === "string") return nested.message.slice(0, 200);
  return "the reply has no label";
}

export interface GoldenResult {
  passed: number;
  total: number;
  /** One line per failed case. */
  failures: string[];
}

/**
 * Compares answers with the expected labels. `expectedModelSha256`, when known, must match the model
 * the function reports serving, so a version that serves another model than recorded fails too.
 */
export function checkGoldenAnswers(
  cases: readonly GoldenCase[],
  answers: readonly Answer[],
  expectedModelSha256 = "",
): GoldenResult {
  const failures: string[] = [];
  cases.forEach((goldenCase, index) => {
    const answer = answers[index];
    const label = `request ${index + 1}`;
    if (!answer) failures.push(`${label}: no answer`);
    else if (answer.error !== undefined) failures.push(`${label}: ${answer.error}`);
    else if (answer.label !== goldenCase.expect) {
      failures.push(`${label}: expected "${goldenCase.expect}", got "${answer.label}"`);
    } else if (expectedModelSha256 && answer.modelSha256 && answer.modelSha256 !== expectedModelSha256) {
      failures.push(
        `${label}: serves model ${answer.modelSha256.slice(0, 12)}, expected ${expectedModelSha256.slice(0, 12)}`,
      );
    }
  });
  return { passed: cases.length - failures.length, total: cases.length, failures };
}
