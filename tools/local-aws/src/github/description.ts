/**
 * GitHub's own OpenAPI description of api.github.com (`@octokit/openapi`), cut down to the operations
 * the actions call: their paths, parameters, request bodies and response schemas, each `$ref` inlined.
 * Requests are checked against it; tests check the stand-in's responses against it too.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

/** Every operation the actions call (grep `client.rest.` / `paginate` in action-src). */
export const SERVED_OPERATIONS = [
  "repos/create-commit-status",
  "repos/list-commit-statuses-for-ref",
  "repos/list-pull-requests-associated-with-commit",
  "pulls/list-commits",
  "repos/create-deployment",
  "repos/create-deployment-status",
  "issues/list-comments",
  "issues/create-comment",
  "issues/update-comment",
] as const;
export type OperationId = (typeof SERVED_OPERATIONS)[number];

export type JsonSchema = Record<string, unknown>;

export interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  schema: JsonSchema;
  multiSegment: boolean;
}

export interface DescribedOperation {
  id: OperationId;
  method: string;
  /** The path template, e.g. `/repos/{owner}/{repo}/statuses/{sha}`. */
  path: string;
  documentationUrl: string;
  parameters: Parameter[];
  bodyRequired: boolean;
  bodySchema?: JsonSchema;
  /** Response schemas by status code. */
  responses: Record<string, JsonSchema | undefined>;
  /** The body's validator, when the operation takes one. */
  validateBody?: ValidateFunction;
}

type Document = {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: Record<string, Record<string, unknown>>;
};

const require = createRequire(import.meta.url);
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

let cached: Map<OperationId, DescribedOperation> | undefined;
let ajvInstance: Ajv | undefined;

/** The described operations, read from the package once per process. */
export function describedOperations(): Map<OperationId, DescribedOperation> {
  if (cached) return cached;
  const file = require.resolve("@octokit/openapi/generated/api.github.com.json");
  const document = JSON.parse(readFileSync(file, "utf8")) as Document;
  const operations = new Map<OperationId, DescribedOperation>();
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      const id = raw.operationId as OperationId;
      if (!SERVED_OPERATIONS.includes(id)) continue;
      operations.set(
        id,
        describe(document, id, method, path, deref(document, raw) as Record<string, unknown>),
      );
    }
  }
  const missing = SERVED_OPERATIONS.filter((id) => !operations.has(id));
  if (missing.length > 0) throw new Error(`@octokit/openapi no longer describes ${missing.join(", ")}`);
  cached = operations;
  return operations;
}

function describe(
  _document: Document,
  id: OperationId,
  method: string,
  path: string,
  op: Record<string, unknown>,
): DescribedOperation {
  const parameters = ((op.parameters ?? []) as Record<string, unknown>[]).map((p) => ({
    name: String(p.name),
    in: p.in as Parameter["in"],
    required: p.required === true,
    schema: (p.schema ?? {}) as JsonSchema,
    multiSegment: p["x-multi-segment"] === true,
  }));
  const requestBody = op.requestBody as
    { required?: boolean; content?: Record<string, { schema?: JsonSchema }> } | undefined;
  const bodySchema = requestBody?.content?.["application/json"]?.schema;
  const responses: Record<string, JsonSchema | undefined> = {};
  for (const [status, response] of Object.entries((op.responses ?? {}) as Record<string, unknown>)) {
    const content = (response as { content?: Record<string, { schema?: JsonSchema }> }).content;
    responses[status] = content?.["application/json"]?.schema;
  }
  return {
    id,
    method: method.toUpperCase(),
    path,
    documentationUrl: String(
      (op.externalDocs as { url?: string } | undefined)?.url ?? "https://docs.github.com/rest",
    ),
    parameters,
    bodyRequired: requestBody?.required === true,
    bodySchema,
    responses,
    validateBody: bodySchema ? schemaValidator(bodySchema) : undefined,
  };
}

/** Inlines every `$ref`; a schema that refers back to itself is cut off as `{}` (anything). */
function deref(document: Document, node: unknown, seen: readonly string[] = []): unknown {
  if (Array.isArray(node)) return node.map((item) => deref(document, item, seen));
  if (typeof node !== "object" || node === null) return node;
  const record = node as Record<string, unknown>;
  if (typeof record.$ref === "string") {
    const ref = record.$ref;
    if (seen.includes(ref)) return {};
    const [, section, name] = ref.split("/").slice(1);
    const target = document.components[section ?? ""]?.[name ?? ""];
    if (target === undefined) throw new Error(`unresolved ${ref} in the GitHub description`);
    return deref(document, target, [...seen, ref]);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    // Examples are documentation, not schema: left out so they cost no memory.
    if (key === "examples" || key === "example") continue;
    out[key] = deref(document, value, seen);
  }
  return out;
}

/** An Ajv validator for a schema of the description (OpenAPI 3.0: `nullable` and its formats). */
export function schemaValidator(schema: JsonSchema): ValidateFunction {
  if (!ajvInstance) {
    ajvInstance = new Ajv({ strict: false, allErrors: true, logger: false });
    addFormats(ajvInstance);
    // Formats the description uses that are annotations only (OpenAPI 3.0 numeric widths, GitHub's own).
    for (const format of ["int32", "int64", "repo.nwo", "ssh-key", "ssh-key fingerprint", "uint32"]) {
      ajvInstance.addFormat(format, true);
    }
  }
  return ajvInstance.compile(withTypelessNullable(schema) as JsonSchema);
}

/**
 * OpenAPI 3.0 puts `nullable: true` beside `allOf`/`$ref`-made schemas that have no `type`, which
 * Ajv's `nullable` refuses; such a schema is rewritten as "that, or null".
 */
function withTypelessNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withTypelessNullable);
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = withTypelessNullable(value);
  if (out.nullable === true && out.type === undefined) {
    delete out.nullable;
    return { anyOf: [out, { type: "null" }] };
  }
  return out;
}

/** The first schema error in the words GitHub's validator uses (see validation.ts). */
export type SchemaError = ErrorObject;
