/** A problem with an action input: the message names the input and what was wrong. */
export class InputError extends Error {
  override name = "InputError";
}

/** An expected failure of an action step (bad state, failed check): reported as one line, no stack. */
export class ActionError extends Error {
  override name = "ActionError";
}
