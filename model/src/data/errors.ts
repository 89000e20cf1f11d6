/**
 * Every problem with the training data surfaces as a DataError whose message is one line naming the
 * file or folder and what is wrong with it. The CLI prints `error: <message>` and exits 2.
 */
export class DataError extends Error {
  constructor(message: string) {
    super(oneLine(message));
    this.name = "DataError";
  }
}

/** A download of the canonical archive failed for good (after retries, or with a non-retryable status). */
export class DownloadError extends DataError {
  constructor(message: string) {
    super(message);
    this.name = "DownloadError";
  }
}

/** An error's message, with its cause's when there is one (fetch's "fetch failed" says little alone). */
export function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.cause === undefined) return error.message;
  return `${error.message}: ${errorMessage(error.cause)}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}
