import { readFile } from "node:fs/promises";

import { parseCsv } from "./csv.js";
import { decodeText, type TextEncoding } from "./decode.js";
import { sha256Hex } from "./digest.js";
import { DataError } from "./errors.js";
import { parseJsonl } from "./jsonl.js";
import type { RawSource } from "./raw-source.js";
import { docsFromRows, type TableRow } from "./table-rows.js";

export type TableFormat = "csv" | "jsonl";

/** Reads a CSV or JSONL file with `text` and `label` columns and an optional `split` column. */
export async function readTable(
  path: string,
  format: TableFormat,
  encoding: TextEncoding,
): Promise<RawSource> {
  const bytes = await readFile(path);
  const text = decodeText(bytes, encoding, path);
  const rows = format === "csv" ? csvRows(text, path) : parseJsonl(text, path);
  return { ...docsFromRows(path, rows), sha256: sha256Hex(bytes) };
}

function csvRows(text: string, file: string): TableRow[] {
  const [header, ...records] = parseCsv(text, file);
  if (!header) throw new DataError(`${file}: no header row (expected columns text,label)`);
  const columns = header.fields.map((name) => name.trim().toLowerCase());
  const textColumn = requiredColumn(columns, "text", file);
  const labelColumn = requiredColumn(columns, "label", file);
  const splitColumn = columns.indexOf("split");
  return records.map(({ line, fields }) => {
    if (fields.length !== columns.length) {
      throw new DataError(`${file}: line ${line}: expected ${columns.length} fields, found ${fields.length}`);
    }
    return {
      line,
      text: fields[textColumn]!,
      label: fields[labelColumn]!,
      split: splitColumn === -1 ? undefined : fields[splitColumn]!,
    };
  });
}

function requiredColumn(columns: string[], name: string, file: string): number {
  const index = columns.indexOf(name);
  if (index === -1) {
    throw new DataError(
      `${file}: header has no "${name}" column (found: ${columns.join(", ") || "nothing"})`,
    );
  }
  return index;
}
