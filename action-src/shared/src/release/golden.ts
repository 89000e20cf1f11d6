/**
 * Golden requests as promote and rollback use them: the file read (its format is the serving
 * contract's, @textcat/contract), then each invocation's answer compared with the expected label.
 */
import { readFile } from "node:fs/promises";
import { parseGoldenCases, parseGoldenJson, type GoldenCase } from "@textcat/contract";
import { InputError } from "../errors.js";

export async function readGoldenFile(path: string): Promise<GoldenCase[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new InputError(`golden requests file "${path}" cannot be read`);
  }
  const source = `golden requests file "${path}"`;
  return parseGoldenCases(parseGoldenJson(text, source), source);
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
