/**
 * 10,000 generated malformed or hostile events: the handler must never throw and never answer 5xx.
 * Seeded, so a failure names an event that can be replayed.
 */
import { beforeAll, expect, test } from "vitest";
import type { Service } from "../../src/service.js";
import { functionUrlEvent, httpV2Event, restV1Event } from "../support/events.js";
import { createTestService } from "../support/service-under-test.js";

const EVENT_COUNT = 10_000;

/** mulberry32: small, seedable, good enough to spread cases. */
function randomSource(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  return { next, int, pick };
}
type Random = ReturnType<typeof randomSource>;

const UNICODE_EDGES = [
  "\ud800",
  "\udfff",
  "\ud83d",
  "a\udc00b",
  "\u0000",
  "\ufeff",
  "\uffff",
  "\u202e",
  "e\u0301",
  "🚀",
  "👩‍👩‍👧",
  "\u2028",
  "ｆｕｌｌ",
  "\x7f",
  "\\",
  '"',
  "𝔘𝔫𝔦",
];

function hostileString(r: Random): string {
  switch (r.int(7)) {
    case 0:
      return Array.from({ length: r.int(20) }, () => r.pick(UNICODE_EDGES)).join("");
    case 1:
      return r.pick(["a", "é", "🚀", "\ud800", " "]).repeat(r.pick([1, 1000, 50_000, 100_001, 400_000]));
    case 2:
      return String.fromCharCode(...Array.from({ length: r.int(200) }, () => r.int(0x10000)));
    case 3:
      return "";
    case 4:
      return " \t\n ";
    case 5:
      return "rocket oven team goal the a of " + r.int(1e9);
    default:
      return Buffer.from(Array.from({ length: r.int(64) }, () => r.int(256))).toString("latin1");
  }
}

function hostileValue(r: Random, depth = 0): unknown {
  switch (r.int(depth > 3 ? 6 : 9)) {
    case 0:
      return null;
    case 1:
      return r.next() * 1e308 * (r.next() < 0.5 ? -1 : 1);
    case 2:
      return r.next() < 0.5;
    case 3:
      return hostileString(r);
    case 4:
      return r.pick([0, -1, 1.5, 2 ** 53, NaN, Infinity]);
    case 5:
      return undefined;
    case 6:
      return Array.from({ length: r.int(5) }, () => hostileValue(r, depth + 1));
    case 7:
      return nested(r.pick([40, 300]), r.pick<"[" | "{">(["[", "{"]), true);
    default:
      return Object.fromEntries(
        Array.from({ length: r.int(4) }, () => [
          r.pick(["text", "texts", "top", "__proto__", "constructor", hostileString(r)]),
          hostileValue(r, depth + 1),
        ]),
      );
  }
}

/** Deep nesting as a value (parse=true) or as JSON text. */
function nested(depth: number, open: "[" | "{", parse: boolean): unknown {
  const text =
    open === "[" ? "[".repeat(depth) + "]".repeat(depth) : '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
  if (!parse) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A few random edits (delete, insert, replace) by slicing: texts can be megabytes. */
function mutate(r: Random, text: string): string {
  let result = text;
  for (let i = r.int(4) + 1; i > 0; i -= 1) {
    const at = r.int(result.length + 1);
    const op = r.int(3);
    const piece =
      op === 1
        ? r.pick(['"', "{", "}", "[", "]", ",", ":", "\\", "\ud800", "\u0000", "e9", "-"])
        : r.pick(UNICODE_EDGES);
    result = result.slice(0, at) + (op === 0 ? "" : piece) + result.slice(op === 1 ? at : at + 1);
  }
  return result;
}

function hostileBody(r: Random): { body: string; base64: boolean } {
  const valid = JSON.stringify(
    r.next() < 0.5 ? { text: hostileString(r), top: hostileValue(r) } : { texts: hostileValue(r) },
  );
  switch (r.int(8)) {
    case 0:
      return { body: mutate(r, valid), base64: false };
    case 1:
      return {
        body: String(nested(r.pick([10, 1000, 100_000]), r.pick<"[" | "{">(["[", "{"]), false)),
        base64: false,
      };
    case 2:
      return {
        body: Buffer.from(Array.from({ length: r.int(512) }, () => r.int(256))).toString("base64"),
        base64: true,
      };
    case 3:
      return { body: hostileString(r), base64: r.next() < 0.5 };
    case 4:
      return {
        body: JSON.stringify({ text: hostileValue(r), texts: r.next() < 0.3 ? hostileValue(r) : undefined }),
        base64: r.next() < 0.3,
      };
    case 5:
      return {
        body: JSON.stringify({
          texts: Array.from({ length: r.pick([1, 100, 101, 5000]) }, (_, i) =>
            i === 0 ? hostileString(r) : `t${i}`,
          ),
        }),
        base64: false,
      };
    case 6:
      return { body: JSON.stringify(hostileValue(r)), base64: false };
    default:
      return { body: valid, base64: r.next() < 0.5 };
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const METHODS = ["POST", "GET", "PUT", "DELETE", "OPTIONS", "HEAD", "PATCH", "post", "", "\u0000", "TRACE"];
const PATHS = [
  "/",
  "/predict",
  "/health",
  "/predict/",
  "//predict",
  "/../etc/passwd",
  "/%00",
  "",
  "/predict?x",
  "/" + "a".repeat(5000),
  "/🚀",
];
const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/json; charset=utf-16",
  "\u0000",
];

function hostileEvent(r: Random): unknown {
  const kind = r.int(10);
  if (kind === 0) return hostileValue(r);
  if (kind === 1) {
    // An HTTP-looking envelope whose fields have the wrong types.
    return {
      version: r.pick(["2.0", "1.0", 2, null]),
      httpMethod: hostileValue(r),
      path: hostileValue(r),
      rawPath: hostileValue(r),
      headers: hostileValue(r),
      requestContext:
        r.next() < 0.5
          ? { http: hostileValue(r), requestId: hostileValue(r), stage: hostileValue(r) }
          : hostileValue(r),
      body: hostileValue(r),
      isBase64Encoded: hostileValue(r),
      queryStringParameters: hostileValue(r),
      rawQueryString: hostileValue(r),
    };
  }
  const { body, base64 } = hostileBody(r);
  const call = {
    method: r.next() < 0.7 ? "POST" : r.pick(METHODS),
    path: r.next() < 0.7 ? r.pick(["/", "/predict"]) : r.pick(PATHS),
    body,
    base64,
    headers: {
      "content-type": r.next() < 0.8 ? "application/json" : r.pick(CONTENT_TYPES),
      origin: r.pick(["https://a.example", "null", ""]),
    },
    query: r.next() < 0.2 ? { top: hostileString(r).slice(0, 10) } : undefined,
  };
  const build = r.pick([restV1Event, httpV2Event, functionUrlEvent]);
  const event = build(call) as unknown as Record<string, unknown>;
  if (r.next() < 0.05) event.isBase64Encoded = true; // a plain body claimed as base64
  return event;
}

let service: Service;
beforeAll(async () => {
  service = await createTestService({ ALLOWED_ORIGINS: "https://a.example" });
});

test(`${EVENT_COUNT} malformed or hostile events: no throw, no 5xx, always a JSON answer`, async () => {
  const random = randomSource(20_261_127);
  const statuses = new Map<number, number>();
  const started = performance.now();
  for (let index = 0; index < EVENT_COUNT; index += 1) {
    const event = hostileEvent(random);
    let result: unknown;
    try {
      result = await service.handler(event);
    } catch (error) {
      throw new Error(`event #${index} threw: ${String(error)}`);
    }
    const answer = result as { statusCode?: number; body?: string; error?: { code: string } };
    if (typeof answer.statusCode === "number") {
      statuses.set(answer.statusCode, (statuses.get(answer.statusCode) ?? 0) + 1);
      if (answer.statusCode >= 500)
        throw new Error(`event #${index} answered ${answer.statusCode}: ${answer.body}`);
      if (answer.body && !isJson(answer.body))
        throw new Error(`event #${index} answered a body that is not JSON`);
    } else {
      if (answer.error?.code === "internal_error")
        throw new Error(`direct event #${index} failed internally`);
      if (typeof result !== "object") throw new Error(`direct event #${index} answered a ${typeof result}`);
    }
  }
  process.stderr.write(
    `fuzz: ${EVENT_COUNT} events in ${Math.round(performance.now() - started)} ms, statuses ${JSON.stringify([...statuses].sort())}\n`,
  );
  // The generator must reach the interesting answers, or this test proves little.
  for (const status of [200, 400, 404, 405, 413, 415]) expect(statuses.get(status) ?? 0).toBeGreaterThan(0);
}, 120_000);
