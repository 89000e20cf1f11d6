/** The message of anything thrown, as one line (no stack trace). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return oneLine(error.message || error.name);
  if (typeof error === "string") return oneLine(error);
  try {
    return oneLine(JSON.stringify(error) ?? String(error));
  } catch {
    return oneLine(String(error));
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

/** A problem with an action input: the message names the input and what was wrong. */
export class InputError extends Error {
  override name = "InputError";
}

/** An expected failure of an action step (bad state, failed check): reported as one line, no stack. */
export class ActionError extends Error {
  override name = "ActionError";
}
