import type { LabelledDoc } from "../types.js";
import { DataError } from "./errors.js";
import type { SplitName } from "./raw-source.js";

/** One CSV record or JSONL line, with the line it came from for error messages. */
export interface TableRow {
  line: number;
  text: string;
  label: string;
  /** The raw `split` value; undefined when the file has no split column. */
  split?: string;
}

export type TableDocs =
  { kind: "split"; train: LabelledDoc[]; test: LabelledDoc[] } | { kind: "unsplit"; docs: LabelledDoc[] };

/** Checks every row and sorts them into train/test when the file has a split column. */
export function docsFromRows(file: string, rows: readonly TableRow[]): TableDocs {
  if (rows.length === 0) throw new DataError(`${file}: no documents (empty corpus)`);
  const hasSplit = rows[0]!.split !== undefined;
  const sides: Record<SplitName, LabelledDoc[]> = { train: [], test: [] };
  const docs: LabelledDoc[] = [];
  for (const row of rows) {
    const where = `${file}: line ${row.line}`;
    if (row.text.trim() === "") throw new DataError(`${where}: empty "text"`);
    const label = row.label.trim();
    if (label === "") throw new DataError(`${where}: empty "label"`);
    const doc = { text: row.text, label };
    if (!hasSplit) {
      if (row.split !== undefined)
        throw new DataError(`${where}: has a "split" value but the first row has none`);
      docs.push(doc);
      continue;
    }
    sides[splitValue(row.split, where)].push(doc);
  }
  return hasSplit ? { kind: "split", ...sides } : { kind: "unsplit", docs };
}

function splitValue(value: string | undefined, where: string): SplitName {
  const normalised = value?.trim().toLowerCase();
  if (normalised === "train" || normalised === "test") return normalised;
  if (value === undefined) return fail(`${where}: missing "split" (the first row has one)`);
  return fail(`${where}: "split" must be "train" or "test", got ${JSON.stringify(value)}`);
}

function fail(message: string): never {
  throw new DataError(message);
}
