import { describe, expect, test } from "vitest";
import { retryAndBackoff } from "../src/retry.js";

/** Records the delays instead of waiting them. */
function fakeClock() {
  const sleeps: number[] = [];
  return { sleeps, sleep: async (ms: number) => void sleeps.push(ms) };
}

function failingTimes(times: number, error: unknown = new Error("transient")) {
  let calls = 0;
  const fn = async (attempt: number) => {
    calls++;
    if (attempt <= times) throw error;
    return `ok after ${attempt - 1}`;
  };
  return { fn, calls: () => calls };
}

describe("retryAndBackoff counts attempts, the first included", () => {
  test("retries with doubling delays until the call succeeds", async () => {
    const clock = fakeClock();
    const { fn, calls } = failingTimes(3);
    await expect(
      retryAndBackoff(fn, { attempts: 6, baseDelayMs: 100, sleep: clock.sleep, isRetryable: () => true }),
    ).resolves.toBe("ok after 3");
    expect(calls()).toBe(4);
    expect(clock.sleeps).toEqual([100, 200, 400]);
  });

  test("throws the last error when out of retries", async () => {
    const clock = fakeClock();
    const { fn, calls } = failingTimes(10, new Error("still down"));
    await expect(
      retryAndBackoff(fn, { attempts: 3, baseDelayMs: 10, sleep: clock.sleep, isRetryable: () => true }),
    ).rejects.toThrow("still down");
    expect(calls()).toBe(3);
    expect(clock.sleeps).toEqual([10, 20]);
  });

  test("does not retry an error the caller marks as permanent", async () => {
    const clock = fakeClock();
    const permanent = Object.assign(new Error("no such repo"), { name: "RepositoryNotFoundException" });
    const { fn, calls } = failingTimes(10, permanent);
    const isRetryable = (e: unknown) => (e as Error).name !== "RepositoryNotFoundException";
    await expect(
      retryAndBackoff(fn, { attempts: 6, baseDelayMs: 10, sleep: clock.sleep, isRetryable }),
    ).rejects.toBe(permanent);
    expect(calls()).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  test("no retries means one call", async () => {
    const { fn, calls } = failingTimes(1);
    await expect(
      retryAndBackoff(fn, {
        attempts: 1,
        baseDelayMs: 10,
        sleep: fakeClock().sleep,
        isRetryable: () => true,
      }),
    ).rejects.toThrow();
    expect(calls()).toBe(1);
  });
});
