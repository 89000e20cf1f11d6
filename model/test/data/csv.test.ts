import { describe, expect, it } from "vitest";

import { parseCsv } from "../../src/data/csv.js";
import { DataError } from "../../src/data/errors.js";

describe("parseCsv", () => {
  it("reads RFC 4180 quoting: commas, doubled quotes and line breaks inside quotes, CRLF endings", () => {
    const text = 'text,label\r\n"a, b",x\r\n"say ""hi""",y\r\n"two\r\nlines",z\r\nplain,w';

    expect(parseCsv(text, "f.csv")).toEqual([
      { line: 1, fields: ["text", "label"] },
      { line: 2, fields: ["a, b", "x"] },
      { line: 3, fields: ['say "hi"', "y"] },
      { line: 4, fields: ["two\r\nlines", "z"] },
      { line: 6, fields: ["plain", "w"] },
    ]);
  });

  it("skips a byte-order mark and blank lines, keeps empty fields, and numbers lines after multi-line fields", () => {
    const text = '\uFEFFtext,label\n\n"x\ny",\n,b\n';

    expect(parseCsv(text, "f.csv")).toEqual([
      { line: 1, fields: ["text", "label"] },
      { line: 3, fields: ["x\ny", ""] },
      { line: 5, fields: ["", "b"] },
    ]);
  });

  it("treats a quote inside an unquoted field as a literal character", () => {
    expect(parseCsv('5" screen,x', "f.csv")).toEqual([{ line: 1, fields: ['5" screen', "x"] }]);
  });

  it.each([
    ['text,label\nok,a\n"never closed,b\n', "f.csv: line 3: quoted field is never closed"],
    ['text,label\n"closed"extra,b\n', "f.csv: line 2: unexpected text after a closing quote"],
  ])("rejects malformed quoting with the line number", (text, message) => {
    expect(() => parseCsv(text, "f.csv")).toThrow(new DataError(message));
  });
});
