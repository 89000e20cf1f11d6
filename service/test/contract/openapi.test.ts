/**
 * service/openapi.yaml against the real handler: the document is valid OpenAPI 3.1, every answer the
 * handler gives (good and bad, every error code it has) is described by it, and the document keeps
 * every promise of the committed baseline shape (openapi-shape.baseline.json).
 */
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { Validator } from "@seriousme/openapi-schema-validator";
import { beforeAll, describe, expect, test } from "vitest";
import { createHandler } from "../../src/handler.js";
import { createLocalServer } from "../../src/local-server.js";
import type { Service } from "../../src/service.js";
import { type HttpCall, httpV2Event, json, restV1Event } from "../support/events.js";
import { createTestService } from "../support/service-under-test.js";
import { breakingChanges, contractShape } from "./contract-shape.js";
import {
  type AnswerToCheck,
  type OpenApiDocument,
  type ResponseLocation,
  type ResponseValidator,
  atPointer,
  readOpenApi,
  responseValidator,
} from "./openapi.js";

const BASELINE_PATH = fileURLToPath(new URL("openapi-shape.baseline.json", import.meta.url));
const SOURCE_DIR = fileURLToPath(new URL("../../src/", import.meta.url));

let doc: OpenApiDocument;
let validator: ResponseValidator;
let service: Service;
beforeAll(async () => {
  doc = readOpenApi();
  validator = responseValidator(doc);
  service = await createTestService({ MAX_BODY_BYTES: "4096", MAX_BATCH_SIZE: "5", MAX_TEXT_CHARS: "1000" });
});

const post = (path: string, body: string | undefined, headers: Record<string, string> = {}): HttpCall => ({
  method: "POST",
  path,
  body,
  headers,
});
const predict = (body: string | undefined, headers: Record<string, string> = {}) =>
  post("/v1/predict", body, headers);
const op = (method: string, path: string): ResponseLocation => ({ method, path });
const PREDICT = op("POST", "/v1/predict");

interface Case {
  name: string;
  event: () => unknown;
  where: ResponseLocation;
  status: number;
}
const v2 = (call: HttpCall) => () => httpV2Event(call);

const CASES: Case[] = [
  {
    name: "one text",
    event: v2(predict(json({ text: "rocket launch", top: 2 }))),
    where: PREDICT,
    status: 200,
  },
  { name: "a batch", event: v2(predict(json({ texts: ["rocket", "hockey"] }))), where: PREDICT, status: 200 },
  {
    name: "a batch through REST v1 with ?top",
    event: () => restV1Event({ ...predict(json({ texts: ["a b"] })), query: { top: "1" } }),
    where: PREDICT,
    status: 200,
  },
  {
    name: "legacy POST /predict",
    event: v2(post("/predict", json({ text: "a" }))),
    where: op("POST", "/predict"),
    status: 200,
  },
  { name: "legacy POST /", event: v2(post("/", json({ text: "a" }))), where: op("POST", "/"), status: 200 },
  {
    name: "health",
    event: v2({ method: "GET", path: "/v1/health" }),
    where: op("GET", "/v1/health"),
    status: 200,
  },
  {
    name: "health HEAD",
    event: v2({ method: "HEAD", path: "/v1/health" }),
    where: op("HEAD", "/v1/health"),
    status: 200,
  },
  {
    name: "legacy health",
    event: v2({ method: "GET", path: "/health" }),
    where: op("GET", "/health"),
    status: 200,
  },
  {
    name: "preflight",
    event: v2({ method: "OPTIONS", path: "/v1/predict", headers: { origin: "https://x.example" } }),
    where: op("OPTIONS", "/v1/predict"),
    status: 204,
  },
  { name: "invalid_json", event: v2(predict("{not json")), where: PREDICT, status: 400 },
  { name: "empty_body", event: v2(predict("")), where: PREDICT, status: 400 },
  { name: "invalid_request", event: v2(predict("[1]")), where: PREDICT, status: 400 },
  { name: "missing_text", event: v2(predict(json({ nope: 1 }))), where: PREDICT, status: 400 },
  { name: "empty_text", event: v2(predict(json({ text: " " }))), where: PREDICT, status: 400 },
  { name: "invalid_text", event: v2(predict(json({ text: 4 }))), where: PREDICT, status: 400 },
  {
    name: "text_too_long",
    event: v2(predict(json({ text: "a".repeat(1001) }))),
    where: PREDICT,
    status: 400,
  },
  { name: "invalid_texts", event: v2(predict(json({ texts: "a" }))), where: PREDICT, status: 400 },
  { name: "empty_batch", event: v2(predict(json({ texts: [] }))), where: PREDICT, status: 400 },
  {
    name: "batch_too_large",
    event: v2(predict(json({ texts: Array(6).fill("x") }))),
    where: PREDICT,
    status: 400,
  },
  {
    name: "ambiguous_request",
    event: v2(predict(json({ text: "a", texts: ["b"] }))),
    where: PREDICT,
    status: 400,
  },
  { name: "invalid_top", event: v2(predict(json({ text: "a", top: 0 }))), where: PREDICT, status: 400 },
  {
    name: "too_deep",
    event: v2(predict(`{"text":"a","x":${"[".repeat(40)}${"]".repeat(40)}}`)),
    where: PREDICT,
    status: 400,
  },
  {
    name: "invalid_base64",
    event: () => ({ ...httpV2Event(predict("x")), body: "!! not base64 !!", isBase64Encoded: true }),
    where: PREDICT,
    status: 400,
  },
  {
    name: "invalid_utf8",
    event: () => ({
      ...httpV2Event(predict("x")),
      body: Buffer.from([0x7b, 0xff, 0x7d]).toString("base64"),
      isBase64Encoded: true,
    }),
    where: PREDICT,
    status: 400,
  },
  {
    name: "malformed_event",
    event: () => ({ version: "2.0", requestContext: { http: {} }, rawPath: "/v1/predict" }),
    where: PREDICT,
    status: 400,
  },
  {
    name: "payload_too_large",
    event: v2(predict(json({ text: "a".repeat(5000) }))),
    where: PREDICT,
    status: 413,
  },
  {
    name: "unsupported_media_type",
    event: v2(predict(json({ text: "a" }), { "content-type": "text/plain" })),
    where: PREDICT,
    status: 415,
  },
  {
    name: "not_found",
    event: v2(post("/v2/predict", json({ text: "a" }))),
    where: { component: "NotFound" },
    status: 404,
  },
  {
    name: "method_not_allowed",
    event: v2({ method: "GET", path: "/v1/predict" }),
    where: { component: "MethodNotAllowed" },
    status: 405,
  },
];

/** The real handler around a model whose session fails: the one way to its 500. */
async function failingModelAnswer(): Promise<AnswerToCheck> {
  const failing = { ...service.model, classify: () => Promise.reject(new Error("session lost")) };
  const handler = createHandler({ ...service, model: failing });
  return (await handler(httpV2Event(predict(json({ text: "a" }))))) as AnswerToCheck;
}

describe("the handler's answers are the ones the document describes", () => {
  test.each(CASES)("$name → $status", async ({ event, where, status }) => {
    const answer = (await service.handler(event())) as AnswerToCheck;
    expect(answer.statusCode).toBe(status);
    expect(validator.problems(answer, where)).toEqual([]);
  });

  test("internal_error: a model that fails gives the documented 500", async () => {
    const answer = await failingModelAnswer();
    expect(answer.statusCode).toBe(500);
    expect(validator.problems(answer, PREDICT)).toEqual([]);
  });

  test("the local server's answers on /v1 routes are described too", async () => {
    const server: Server = createLocalServer(service.handler);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const [init, path, where] of [
        [
          { method: "POST", body: json({ text: "rocket" }), headers: { "content-type": "application/json" } },
          "/v1/predict",
          PREDICT,
        ],
        [{ method: "GET" }, "/v1/health", op("GET", "/v1/health")],
      ] as const) {
        const response = await fetch(`${base}${path}`, init);
        const answer = {
          statusCode: response.status,
          headers: Object.fromEntries(response.headers),
          body: await response.text(),
        };
        expect([path, answer.statusCode, validator.problems(answer, where)]).toEqual([path, 200, []]);
      }
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

/** Every `code` the document allows, from the error schemas' enum/const. */
function documentedCodes(): string[] {
  const schemas = atPointer(doc, "#/components/schemas") as Record<string, unknown>;
  return Object.values(schemas).flatMap((schema) => {
    const code = atPointer(schema, "#/properties/error/properties/code") as
      { enum?: string[]; const?: string } | undefined;
    return code?.enum ?? (code?.const !== undefined ? [code.const] : []);
  });
}

/** Every error code written in the service's source (badRequest("…") and new HttpError(status, "…")). */
function sourceCodes(): string[] {
  const codes = new Set<string>();
  for (const file of readdirSync(SOURCE_DIR).filter((name) => name.endsWith(".ts"))) {
    const text = readFileSync(`${SOURCE_DIR}${file}`, "utf8");
    for (const match of text.matchAll(/(?:badRequest\(|HttpError\(\s*\d{3},)\s*"([a-z0-9_]+)"/g))
      codes.add(match[1] as string);
  }
  return [...codes];
}

test("every error code in the source is documented and provoked by a case above, and no other", async () => {
  const answers = [
    ...(await Promise.all(CASES.map(async ({ event }) => (await service.handler(event())) as AnswerToCheck))),
    await failingModelAnswer(),
  ];
  const answered = answers
    .filter((answer) => answer.statusCode >= 400)
    .map((answer) => (JSON.parse(answer.body) as { error: { code: string } }).error.code);
  const sorted = (codes: string[]) => [...new Set(codes)].sort();
  expect(sorted(sourceCodes())).toEqual(sorted(documentedCodes()));
  expect(sorted(answered)).toEqual(sorted(documentedCodes()));
  // The local server's own answer to a body it will not buffer uses a code the document has.
  const local = readFileSync(`${SOURCE_DIR}local-server.ts`, "utf8").match(/code: "([a-z0-9_]+)"/g) ?? [];
  for (const code of local) expect(documentedCodes()).toContain(code.slice(7, -1));
});

test("the document is valid OpenAPI 3.1", async () => {
  const result = await new Validator().validate(doc);
  expect(result.errors ?? []).toEqual([]);
  expect(result.valid).toBe(true);
  expect(doc.openapi).toMatch(/^3\.1\./);
});

test("the validator rejects answers the document does not describe", async () => {
  const good = (await service.handler(httpV2Event(predict(json({ text: "rocket" }))))) as AnswerToCheck;
  const withoutModel = JSON.parse(good.body) as Record<string, unknown>;
  delete withoutModel.model;
  expect(validator.problems({ ...good, body: JSON.stringify(withoutModel) }, PREDICT)).not.toEqual([]);
  const wrongCode = {
    statusCode: 415,
    headers: good.headers,
    body: json({ error: { code: "not_found", message: "x" } }),
  };
  expect(validator.problems(wrongCode, PREDICT)).not.toEqual([]);
  expect(validator.problems({ ...good, statusCode: 418 }, PREDICT)).not.toEqual([]);
  const noAllow = {
    statusCode: 405,
    headers: { "content-type": "application/json" },
    body: json({ error: { code: "method_not_allowed", message: "x" } }),
  };
  expect(validator.problems(noAllow, { component: "MethodNotAllowed" })).toEqual(["header allow is missing"]);
});

describe("breaking changes to the contract fail", () => {
  test("the document keeps every promise of the committed baseline", () => {
    const current = contractShape(doc);
    // After an intended, additive change: UPDATE_OPENAPI_BASELINE=1 npx vitest run service/test/contract
    if (process.env.UPDATE_OPENAPI_BASELINE === "1") {
      writeFileSync(BASELINE_PATH, `${JSON.stringify(current, null, 2)}\n`);
    }
    const baseline = JSON.parse(readFileSync(BASELINE_PATH, "utf8")) as string[];
    expect(breakingChanges(baseline, current)).toEqual([]);
  });

  const edited = (edit: (copy: OpenApiDocument) => void): string[] => {
    const copy = structuredClone(doc);
    edit(copy);
    return breakingChanges(contractShape(doc), contractShape(copy));
  };
  const schema = (copy: OpenApiDocument, name: string) =>
    atPointer(copy, `#/components/schemas/${name}`) as {
      properties: Record<string, unknown>;
      required: string[];
    };

  test.each([
    [
      "a route removed",
      (c: OpenApiDocument) => delete (c.paths as Record<string, unknown>)["/v1/health"],
      "removed: route GET /v1/health",
    ],
    [
      "an answer field removed",
      (c: OpenApiDocument) => delete schema(c, "Score").properties.score,
      "removed: response POST /v1/predict 200 |0.scores[].score: number",
    ],
    [
      "an answer field retyped",
      (c: OpenApiDocument) => (schema(c, "Score").properties.score = { type: "string" }),
      "removed: response POST /v1/predict 200 |0.scores[].score: number",
    ],
    [
      "an answer field made optional",
      (c: OpenApiDocument) => (schema(c, "SingleResponse").required = ["label"]),
      "removed: response-required POST /v1/predict 200 |0.model",
    ],
    [
      "a request field newly required",
      (c: OpenApiDocument) => schema(c, "SingleRequest").required.push("top"),
      "now required: request-required POST /v1/predict |0.top",
    ],
    [
      "an error code removed",
      (c: OpenApiDocument) =>
        ((schema(c, "NotFoundError").properties.error as { properties: { code: unknown } }).properties.code =
          { const: "missing" }),
      "removed: value response component NotFound .error.code: not_found",
    ],
  ])("%s", (_name, edit, expected) => {
    expect(edited(edit)).toContain(expected);
  });

  test("additions are not breaking", () => {
    expect(
      edited((c) => {
        schema(c, "Score").properties.rank = { type: "integer" };
        schema(c, "SingleRequest").properties.language = { type: "string" };
        (c.paths as Record<string, unknown>)["/v1/labels"] = {
          get: { responses: { "200": { description: "x" } } },
        };
      }),
    ).toEqual([]);
  });
});
