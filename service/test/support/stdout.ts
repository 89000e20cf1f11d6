/**
 * The service writes one JSON log line and EMF metrics per request to stdout (as Lambda wants). Tests
 * keep them out of the test report (TEXTCAT_TEST_LOGS=1 shows them) and can capture them to assert on.
 */
const originalWrite = process.stdout.write.bind(process.stdout);
let captured: string[] | undefined;

const isServiceTelemetry = (text: string) => text.startsWith('{"level"') || text.startsWith('{"_aws"');

process.stdout.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
  const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
  if (captured !== undefined) captured.push(text);
  if (isServiceTelemetry(text) && process.env.TEXTCAT_TEST_LOGS !== "1") return true;
  return (originalWrite as (...args: unknown[]) => boolean)(chunk, ...rest);
};

/** Runs `action` and returns everything written to stdout meanwhile. */
export async function captureStdout(action: () => Promise<unknown>): Promise<string> {
  captured = [];
  try {
    await action();
    return captured.join("");
  } finally {
    captured = undefined;
  }
}
