import { systemClock } from "./clock.js";

export interface RetryOptions {
  /** Retries after the first attempt (so at most retries + 1 calls). */
  retries: number;
  /** Delay before the first retry; doubles on each further retry. */
  baseMs: number;
  sleep?: (ms: number) => Promise<void>;
  /** Errors for which this returns false are thrown at once. Default: retry every error. */
  isRetryable?: (error: unknown) => boolean;
}

/** Calls fn until it resolves, with exponential backoff; throws the last error when out of retries. */
export async function retryAndBackoff<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const sleep = options.sleep ?? systemClock.sleep;
  const isRetryable = options.isRetryable ?? (() => true);
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= options.retries || !isRetryable(error)) throw error;
      await sleep(options.baseMs * 2 ** attempt);
    }
  }
}
