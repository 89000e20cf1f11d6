import { describe, expect, it } from "vitest";

import { retryAndBackoff } from "../src/retry.js";

class Transient extends Error {}

describe("retryAndBackoff", () => {
  it("retries retryable failures with doubling, capped delays and returns the first success", async () => {
    const delays: number[] = [];
    const attemptsSeen: number[] = [];

    const result = await retryAndBackoff(
      async (attempt) => {
        attemptsSeen.push(attempt);
        if (attempt < 4) throw new Transient(`try ${attempt}`);
        return "done";
      },
      {
        attempts: 5,
        baseDelayMs: 100,
        maxDelayMs: 300,
        isRetryable: (e) => e instanceof Transient,
        sleep: async (ms) => void delays.push(ms),
      },
    );

    expect(result).toBe("done");
    expect(attemptsSeen).toEqual([1, 2, 3, 4]);
    expect(delays).toEqual([100, 200, 300]);
  });

  it("gives up after the last attempt with the last error", async () => {
    const delays: number[] = [];
    const work = retryAndBackoff(
      async (attempt) => {
        throw new Transient(`try ${attempt}`);
      },
      { attempts: 3, baseDelayMs: 10, isRetryable: () => true, sleep: async (ms) => void delays.push(ms) },
    );

    await expect(work).rejects.toThrow("try 3");
    expect(delays).toEqual([10, 20]);
  });

  it("does not retry an error that is not retryable", async () => {
    let calls = 0;
    const work = retryAndBackoff(
      async () => {
        calls++;
        throw new Error("permanent");
      },
      { attempts: 5, baseDelayMs: 10, isRetryable: (e) => e instanceof Transient, sleep: async () => {} },
    );

    await expect(work).rejects.toThrow("permanent");
    expect(calls).toBe(1);
  });
});
