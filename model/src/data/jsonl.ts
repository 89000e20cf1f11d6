import { DataError } from "./errors.js";
import { errorMessage } from "@textcat/kit/errors";
import type { TableRow } from "./table-rows.js";

/** One JSON object per line with string `text` and `label` (a number label is read as its string). */
export function parseJsonl(text: string, file: string): TableRow[] {
  const rows: TableRow[] = [];
  const lines = text.split("\n");
  lines.forEach((rawLine, index) => {
    const line = index + 1;
    const source = index === 0 ? rawLine.replace(/^\uFEFF/, "") : rawLine;
    if (source.trim() === "") return;
    const where = `${file}: line ${line}`;
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch (error) {
      throw new DataError(`${where}: invalid JSON (${errorMessage(error)})`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new DataError(`${where}: expected a JSON object with "text" and "label"`);
    }
    const record = value as Record<string, unknown>;
    rows.push({
      line,
      text: stringField(record, "text", where, false),
      label: stringField(record, "label", where, true),
      split:
        record.split === undefined || record.split === null
          ? undefined
          : stringField(record, "split", where, false),
    });
  });
  return rows;
}

function stringField(
  record: Record<string, unknown>,
  name: string,
  where: string,
  allowNumber: boolean,
): string {
  const value = record[name];
  if (typeof value === "string") return value;
  if (allowNumber && typeof value === "number" && Number.isFinite(value)) return String(value);
  if (value === undefined || value === null) throw new DataError(`${where}: missing "${name}"`);
  throw new DataError(`${where}: "${name}" must be a string, got ${typeof value}`);
}
