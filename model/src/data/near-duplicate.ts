/**
 * The near-duplicate key of a document: its body (a leading mail/news header block dropped), lower-cased,
 * with every run of characters that are not letters or digits read as one space. Two documents with
 * the same key are near-duplicates: a repost or cross-post with other headers, or the same text with
 * other spacing, punctuation or case. Keys are compared exactly (a Map), so the check is one pass.
 */

/** `Name: value` as in RFC 5322 header fields; continuation lines start with whitespace. */
const HEADER_FIELD = /^[A-Za-z][A-Za-z0-9-]*:/;
const CONTINUATION = /^[ \t]/;
const NOT_WORD = /[^\p{L}\p{N}]+/gu;

/** Bodies with fewer words than this (empty replies, a bare signature) say nothing about leakage. */
export const MIN_NEAR_DUPLICATE_WORDS = 8;

export const NEAR_DUPLICATE_METHOD = `same body of ${MIN_NEAR_DUPLICATE_WORDS}+ words, ignoring a leading header block, case, punctuation and spacing`;

/** The text after a leading header block, or the whole text when it does not start with one. */
export function dropHeaderBlock(text: string): string {
  let start = 0;
  let sawField = false;
  while (start < text.length) {
    const end = text.indexOf("\n", start);
    const line = (end === -1 ? text.slice(start) : text.slice(start, end)).replace(/\r$/, "");
    if (line === "") return sawField ? text.slice(end + 1) : text;
    if (!HEADER_FIELD.test(line) && !(sawField && CONTINUATION.test(line))) return text;
    sawField = true;
    if (end === -1) return text;
    start = end + 1;
  }
  return text;
}

/** The document's near-duplicate key, or undefined when its body is too short to compare. */
export function nearDuplicateKey(text: string): string | undefined {
  const normalized = dropHeaderBlock(text).toLowerCase().replace(NOT_WORD, " ").trim();
  let words = normalized === "" ? 0 : 1;
  for (let index = normalized.indexOf(" "); index !== -1 && words < MIN_NEAR_DUPLICATE_WORDS;) {
    words += 1;
    index = normalized.indexOf(" ", index + 1);
  }
  return words >= MIN_NEAR_DUPLICATE_WORDS ? normalized : undefined;
}
