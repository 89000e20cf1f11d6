/**
 * Completes a response object to the description's schema: the fields a builder sets are kept, and
 * every required field it leaves out is filled with the schema's plainest value (null where nullable,
 * the first enum member, 0, false, "", []), so a client reads the shape GitHub documents.
 */
import type { JsonSchema } from "./description.js";

export interface FillContext {
  /** Used for a required `format: uri` string nobody set. */
  url: string;
  /** Used for a required `format: date-time` string nobody set. */
  now: string;
}

export function conform(schema: JsonSchema | undefined, given: unknown, context: FillContext): unknown {
  if (!schema) return given;
  const merged = mergeAllOf(schema);
  const alternatives = (merged.oneOf ?? merged.anyOf) as JsonSchema[] | undefined;
  if (alternatives) {
    if (given !== undefined) return conformToFirstFitting(alternatives, given, context);
    if (merged.nullable === true) return null;
    return conform(
      alternatives.find((a) => a.type !== "null"),
      undefined,
      context,
    );
  }
  if (given === null) return null;
  if (given === undefined && merged.nullable === true) return null;
  switch (merged.type) {
    case "object":
      return conformObject(merged, given as Record<string, unknown> | undefined, context);
    case "array":
      return Array.isArray(given)
        ? given.map((item) => conform(merged.items as JsonSchema | undefined, item, context))
        : [];
    default:
      return given !== undefined ? given : plainValue(merged, context);
  }
}

function conformObject(
  schema: JsonSchema,
  given: Record<string, unknown> | undefined,
  context: FillContext,
): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = (schema.required ?? []) as string[];
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(given ?? {})) {
    out[key] = properties[key] ? conform(properties[key], value, context) : value;
  }
  for (const key of required) {
    if (!(key in out)) out[key] = conform(properties[key], undefined, context);
  }
  return out;
}

function conformToFirstFitting(alternatives: JsonSchema[], given: unknown, context: FillContext): unknown {
  const kind = Array.isArray(given) ? "array" : given === null ? "null" : typeof given;
  const fitting = alternatives.find((a) => {
    const type = mergeAllOf(a).type;
    return (
      type === kind || (type === "integer" && kind === "number") || (kind === "null" && a.nullable === true)
    );
  });
  return fitting ? conform(fitting, given, context) : given;
}

function mergeAllOf(schema: JsonSchema): JsonSchema {
  const parts = schema.allOf as JsonSchema[] | undefined;
  if (!parts) return schema;
  const merged: JsonSchema = { ...schema, allOf: undefined };
  for (const part of parts.map(mergeAllOf)) {
    merged.type ??= part.type;
    merged.properties = { ...(merged.properties as object), ...(part.properties as object) };
    merged.required = [...((merged.required as string[]) ?? []), ...((part.required as string[]) ?? [])];
  }
  return merged;
}

function plainValue(schema: JsonSchema, context: FillContext): unknown {
  if (Array.isArray(schema.enum)) return schema.enum[0];
  switch (schema.type) {
    case "integer":
    case "number":
      return 0;
    case "boolean":
      return false;
    case "string":
      if (schema.format === "date-time") return context.now;
      if (schema.format === "uri") return context.url;
      return "";
    default:
      return null;
  }
}
