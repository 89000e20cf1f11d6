import { ActionError } from "@textcat/action-shared/errors";

export interface GoldenExample {
  text: string;
  label: string;
}

/** Parses a golden examples file: a non-empty JSON array of {text, label} strings. */
export function parseGoldenExamples(text: string, source: string): GoldenExample[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ActionError(`${source} is not valid JSON`);
  }
  if (!Array.isArray(json) || json.length === 0) {
    throw new ActionError(`${source} must be a non-empty JSON array of {"text", "label"}`);
  }
  return json.map((item: unknown, index) => {
    const example = item as Partial<GoldenExample> | null;
    if (typeof example?.text !== "string" || !example.text.trim() || typeof example.label !== "string") {
      throw new ActionError(`${source}: item ${index} must have a non-empty "text" and a "label" string`);
    }
    return { text: example.text, label: example.label };
  });
}
