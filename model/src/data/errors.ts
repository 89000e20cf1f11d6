import { oneLine } from "@textcat/kit/errors";

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
