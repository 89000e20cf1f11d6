import { DataError } from "./errors.js";

export type TextEncoding = "latin1" | "utf-8";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Decodes a document's bytes. Latin-1 maps every byte to a character, so only UTF-8 can fail. */
export function decodeText(bytes: Uint8Array, encoding: TextEncoding, where: string): string {
  if (encoding === "latin1")
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new DataError(`${where}: not valid UTF-8 text (is it latin-1? pass encoding latin1)`);
  }
}
