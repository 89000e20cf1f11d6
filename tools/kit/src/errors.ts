/**
 * The message of anything thrown, as one line (no stack trace), followed by its causes' messages
 * when they add something (fetch's "fetch failed" says little without its cause).
 */
export function errorMessage(error: unknown): string {
  let message = oneLine(describe(error));
  for (let cause = causeOf(error); cause !== undefined; cause = causeOf(cause)) {
    const detail = oneLine(describe(cause));
    if (detail && !message.includes(detail)) message = `${message}: ${detail}`;
  }
  return message;
}

function causeOf(error: unknown): unknown {
  return error instanceof Error ? error.cause : undefined;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

/** Collapses line breaks (and the spaces around them) into single spaces. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}
