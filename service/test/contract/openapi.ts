/**
 * The service's OpenAPI document (service/openapi.yaml) and a validator of real handler answers
 * against it with Ajv's JSON Schema 2020-12 dialect. OpenAPI 3.1's Schema Object dialect is draft
 * 2020-12 ("$ref": "https://json-schema.org/draft/2020-12/schema") plus its own vocabulary
 * (https://spec.openapis.org/oas/3.1/dialect/base.html), none of which this document uses.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";

export const OPENAPI_PATH = fileURLToPath(new URL("../../openapi.yaml", import.meta.url));

export type OpenApiDocument = Record<string, unknown>;

export function readOpenApi(): OpenApiDocument {
  return parse(readFileSync(OPENAPI_PATH, "utf8")) as OpenApiDocument;
}

const escapePointer = (segment: string): string => segment.replace(/~/g, "~0").replace(/\//g, "~1");

/** The value at a JSON pointer (`#/a/b`) of the document; undefined when a step is missing. */
export function atPointer(doc: unknown, pointer: string): unknown {
  const steps = pointer.replace(/^#\/?/, "").split("/").filter(Boolean);
  let node = doc;
  for (const step of steps) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[step.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return node;
}

/** Follows a Reference Object (`{$ref}`) to what it names, returning the pointer it ended at. */
function follow(doc: OpenApiDocument, pointer: string): string {
  const target = atPointer(doc, pointer) as { $ref?: string } | undefined;
  return typeof target?.$ref === "string" ? follow(doc, target.$ref) : pointer;
}

export interface AnswerToCheck {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export interface ResponseValidator {
  /** Problems with the answer, or [] when the document describes it. */
  problems(answer: AnswerToCheck, where: ResponseLocation): string[];
}

/** An operation's response (`{path, method}`) or a shared one (`{component: "NotFound"}`). */
export type ResponseLocation = { path: string; method: string } | { component: string };

function responsePointer(doc: OpenApiDocument, where: ResponseLocation, status: number): string {
  if ("component" in where) return follow(doc, `#/components/responses/${where.component}`);
  const operation = `#/paths/${escapePointer(where.path)}/${where.method.toLowerCase()}`;
  if (atPointer(doc, operation) === undefined) return "";
  return follow(doc, `${operation}/responses/${status}`);
}

export function responseValidator(doc: OpenApiDocument): ResponseValidator {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  // The whole document under one id, so a schema's "#/components/…" references resolve inside it.
  ajv.addSchema({ ...doc, $id: "openapi" });
  return {
    problems(answer, where) {
      const pointer = responsePointer(doc, where, answer.statusCode);
      const response = pointer === "" ? undefined : (atPointer(doc, pointer) as Record<string, unknown>);
      if (response === undefined)
        return [`status ${answer.statusCode} is not documented for ${JSON.stringify(where)}`];
      const problems: string[] = [];
      const headers = (response.headers ?? {}) as Record<string, { required?: boolean }>;
      for (const [name, header] of Object.entries(headers)) {
        if (header.required === true && answer.headers[name] === undefined)
          problems.push(`header ${name} is missing`);
      }
      const content = response.content as Record<string, unknown> | undefined;
      if (content === undefined) {
        if (answer.body !== "") problems.push(`a body is not documented: ${answer.body.slice(0, 200)}`);
        return problems;
      }
      const mediaType = (answer.headers["content-type"] ?? "").split(";")[0]?.trim() ?? "";
      if (content[mediaType] === undefined)
        return [...problems, `content type ${mediaType} is not documented`];
      const validate = ajv.getSchema(`openapi${pointer}/content/${escapePointer(mediaType)}/schema`);
      if (validate === undefined) return [...problems, `no schema at ${pointer}`];
      if (!validate(JSON.parse(answer.body))) {
        problems.push(...(validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`));
      }
      return problems;
    },
  };
}
