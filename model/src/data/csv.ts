import { DataError } from "./errors.js";

/** Characters up to the next comma or line break (a quote not at the start of a field is literal). */
const UNQUOTED_RUN = /[^,\r\n]+/y;

export interface CsvRecord {
  /** 1-based line on which the record starts. */
  line: number;
  fields: string[];
}

/**
 * RFC 4180 records: comma-separated fields, fields in double quotes may hold commas, line breaks and
 * doubled quotes (""), records end with CRLF, LF or CR. Lines that are completely empty are skipped.
 */
export function parseCsv(text: string, file: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let position = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const endRecord = (): void => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== "") records.push({ line: recordLine, fields });
    fields = [];
    field = "";
  };

  while (position < text.length) {
    const char = text[position]!;
    if (char === '"' && field === "") {
      const quoteLine = line;
      position++;
      for (;;) {
        const close = text.indexOf('"', position);
        if (close === -1) throw new DataError(`${file}: line ${quoteLine}: quoted field is never closed`);
        const chunk = text.slice(position, close);
        field += chunk;
        line += countLineBreaks(chunk);
        position = close + 1;
        if (text[position] !== '"') break;
        field += '"';
        position++;
      }
      const after = text[position];
      if (after !== undefined && after !== "," && after !== "\n" && after !== "\r") {
        throw new DataError(`${file}: line ${line}: unexpected text after a closing quote`);
      }
      continue;
    }
    if (char === ",") {
      fields.push(field);
      field = "";
      position++;
    } else if (char === "\n" || char === "\r") {
      position += char === "\r" && text[position + 1] === "\n" ? 2 : 1;
      endRecord();
      line++;
      recordLine = line;
    } else {
      UNQUOTED_RUN.lastIndex = position;
      const run = UNQUOTED_RUN.exec(text)![0];
      field += run;
      position += run.length;
    }
  }
  if (field !== "" || fields.length > 0) endRecord();
  return records;
}

function countLineBreaks(text: string): number {
  const matches = text.match(/\r\n|\r|\n/g);
  return matches ? matches.length : 0;
}
