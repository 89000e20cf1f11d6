/** Request bounds; every one is configurable by an environment variable (see config.ts). */
export interface Limits {
  /** Largest accepted request body in bytes (after base64 decoding). */
  maxBodyBytes: number;
  /** Largest number of texts in one `{"texts": [...]}` batch. */
  maxBatchSize: number;
  /** Longest accepted text, in UTF-16 code units (JavaScript string length). */
  maxTextChars: number;
  /** Number of scores returned when the client does not ask (`?top=k` / `"top": k`). */
  defaultTopK: number;
}

export const DEFAULT_LIMITS: Limits = {
  // A batch of 100 newsgroup posts is ~200 KB, with long posts more; API Gateway accepts up to 10 MB.
  maxBodyBytes: 1024 * 1024,
  maxBatchSize: 100,
  // The 20news test split's longest post has 160,616 characters; the body limit bounds the total.
  maxTextChars: 500_000,
  defaultTopK: 3,
};
