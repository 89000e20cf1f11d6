/**
 * The shape of the API that clients depend on, as sorted lines, and which differences break them.
 *
 * Lines (`<kind> <where> <field>: <type>`):
 * - `route POST /v1/predict`, `status POST /v1/predict 200`
 * - `request POST /v1/predict |0.text: string` — a field a client may send (`|i` = oneOf variant i)
 * - `request-required …` — a field a client must send
 * - `response POST /v1/predict 200 |1.results[].label: string`, `response-required …`
 * - `value response component NotFound .error.code: not_found` — one allowed value of an enum or const
 *
 * Breaking: any line of the baseline that is gone (a route, status, field, type, requiredness of an
 * answer's field, or allowed value), or a `request-required` line the baseline did not have.
 * Adding routes, statuses, optional request fields, answer fields and values is not breaking.
 */
import { type OpenApiDocument, atPointer } from "./openapi.js";

type Schema = Record<string, unknown>;
const METHODS = ["get", "head", "post", "put", "patch", "delete", "options"];
const MAX_DEPTH = 20;

/** A schema with its `$ref` (and a `$ref`'s siblings) folded into a list of parts to read together. */
function parts(doc: OpenApiDocument, schema: Schema, depth = 0): Schema[] {
  if (depth > MAX_DEPTH) throw new Error("schema references nest too deep");
  const { $ref, allOf, ...rest } = schema;
  const referenced = typeof $ref === "string" ? parts(doc, atPointer(doc, $ref) as Schema, depth + 1) : [];
  const all = Array.isArray(allOf) ? (allOf as Schema[]).flatMap((s) => parts(doc, s, depth + 1)) : [];
  return [...referenced, ...all, rest];
}

function typeName(doc: OpenApiDocument, schema: Schema): string {
  for (const part of parts(doc, schema)) {
    if (typeof part.type === "string") return part.type;
    if (part.const !== undefined) return typeof part.const;
    if (Array.isArray(part.oneOf)) return "oneOf";
  }
  return "any";
}

function walk(
  doc: OpenApiDocument,
  schema: Schema,
  kind: string,
  path: string,
  lines: Set<string>,
  depth = 0,
): void {
  if (depth > MAX_DEPTH) throw new Error(`schema nests deeper than ${MAX_DEPTH} at ${path}`);
  for (const part of parts(doc, schema)) {
    if (Array.isArray(part.oneOf)) {
      (part.oneOf as Schema[]).forEach((variant, index) =>
        walk(doc, variant, kind, `${path}|${index}`, lines, depth + 1),
      );
    }
    const values = part.const !== undefined ? [part.const] : Array.isArray(part.enum) ? part.enum : [];
    for (const value of values) lines.add(`value ${kind} ${path}: ${String(value)}`);
    const required = new Set(Array.isArray(part.required) ? (part.required as string[]) : []);
    for (const [name, property] of Object.entries((part.properties ?? {}) as Record<string, Schema>)) {
      const field = `${path}.${name}`;
      const type = typeName(doc, property);
      if (type !== "any") lines.add(`${kind} ${field}: ${type}`);
      if (required.has(name)) lines.add(`${kind.replace(/^(\w+)/, "$1-required")} ${field}`);
      walk(doc, property, kind, field, lines, depth + 1);
    }
    if (part.items !== undefined) walk(doc, part.items as Schema, kind, `${path}[]`, lines, depth + 1);
  }
}

const jsonSchemaOf = (doc: OpenApiDocument, holder: unknown): Schema | undefined => {
  let node = holder as Schema | undefined;
  while (typeof node?.$ref === "string") node = atPointer(doc, node.$ref) as Schema;
  const content = node?.content as Record<string, { schema?: Schema }> | undefined;
  return content?.["application/json"]?.schema;
};

/** The contract's shape as sorted lines (see the file comment). */
export function contractShape(doc: OpenApiDocument): string[] {
  const lines = new Set<string>();
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Schema>)) {
    for (const method of METHODS.filter((m) => item[m] !== undefined)) {
      const operation = item[method] as Schema;
      const where = `${method.toUpperCase()} ${path}`;
      lines.add(`route ${where}`);
      for (const parameter of (operation.parameters ?? []) as Schema[]) {
        let resolved = parameter;
        while (typeof resolved.$ref === "string") resolved = atPointer(doc, resolved.$ref) as Schema;
        const field = `${String(resolved.in)}.${String(resolved.name)}`;
        lines.add(`request ${where} ${field}: ${typeName(doc, resolved.schema as Schema)}`);
        if (resolved.required === true) lines.add(`request-required ${where} ${field}`);
      }
      const request = jsonSchemaOf(doc, operation.requestBody);
      if (request !== undefined) walk(doc, request, `request ${where}`, "", lines);
      for (const [status, response] of Object.entries(
        (operation.responses ?? {}) as Record<string, Schema>,
      )) {
        lines.add(`status ${where} ${status}`);
        const body = jsonSchemaOf(doc, response);
        if (body !== undefined) walk(doc, body, `response ${where} ${status}`, "", lines);
      }
    }
  }
  const components = ((doc.components as Schema | undefined)?.responses ?? {}) as Record<string, Schema>;
  for (const [name, response] of Object.entries(components)) {
    const body = jsonSchemaOf(doc, response);
    if (body !== undefined) walk(doc, body, `response component ${name}`, "", lines);
  }
  return [...lines].sort();
}

/** The differences from the baseline shape that would break a client written against it. */
export function breakingChanges(baseline: readonly string[], current: readonly string[]): string[] {
  const now = new Set(current);
  const before = new Set(baseline);
  const gone = baseline.filter((line) => !line.startsWith("request-required ") && !now.has(line));
  const newlyRequired = current.filter((line) => line.startsWith("request-required ") && !before.has(line));
  return [...gone.map((line) => `removed: ${line}`), ...newlyRequired.map((line) => `now required: ${line}`)];
}
