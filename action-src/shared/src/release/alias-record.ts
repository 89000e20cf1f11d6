/**
 * What promote writes into the Lambda alias Description, so rollback knows where to go back to
 * without any store besides Lambda itself: `{"digest":"sha256:…","previous":"4","history":["3","2"]}`.
 * `previous` is the version the alias served before the current one; `history` the ones before that.
 */
export interface AliasRecord {
  /** Image digest of the version the alias serves. */
  digest: string;
  previous?: string;
  /** Older versions, most recent first (rollback after rollback walks down this list). */
  history: string[];
}

/** Lambda's limit for an alias Description. */
export const ALIAS_DESCRIPTION_MAX = 256;
const VERSION_PATTERN = /^[1-9]\d*$/;

// `${number}`, not string: a string that fails the check is still a string, not `never`.
export function isPublishedVersion(value: unknown): value is `${number}` {
  return typeof value === "string" && VERSION_PATTERN.test(value);
}

/** JSON that fits the Description limit: the oldest history entries are dropped first. */
export function encodeAliasRecord(record: AliasRecord): string {
  const history = [...record.history];
  for (;;) {
    const text = JSON.stringify({ digest: record.digest, previous: record.previous, history });
    if (text.length <= ALIAS_DESCRIPTION_MAX || history.length === 0) return text;
    history.pop();
  }
}

/** The record in an alias Description, or undefined when there is none (a hand-made alias, free text). */
export function decodeAliasRecord(description: string | undefined): AliasRecord | undefined {
  if (!description) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(description);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const fields = parsed as Record<string, unknown>;
  const history = Array.isArray(fields.history) ? fields.history.filter(isPublishedVersion) : [];
  return {
    digest: typeof fields.digest === "string" ? fields.digest : "",
    previous: isPublishedVersion(fields.previous) ? fields.previous : undefined,
    history,
  };
}

const HISTORY_KEPT = 8;

/**
 * After promote moved the alias from `fromVersion` (if any, serving `fromDigest`) to an image with
 * `digest`. Only versions the pipeline verified are kept for rollback: `fromVersion` counts when the
 * record describes it (promote or rollback put it there after its golden checks); a version someone
 * put on the alias by hand, with no record or another digest, is not a rollback target.
 */
export function recordAfterPromote(
  before: AliasRecord | undefined,
  fromVersion: string | undefined,
  digest: string,
  fromDigest: string | undefined = before?.digest,
): AliasRecord {
  const older = before ? [before.previous, ...before.history].filter(isPublishedVersion) : [];
  const fromVerified = fromVersion !== undefined && before !== undefined && before.digest === fromDigest;
  const chain = fromVerified ? [fromVersion, ...older.filter((v) => v !== fromVersion)] : older;
  const [previous, ...history] = chain;
  return { digest, previous, history: history.slice(0, HISTORY_KEPT) };
}

/**
 * After rollback moved the alias to `target`. Going back to the recorded previous version pops it,
 * so pressing rollback again goes one further back; any other target is recorded like a promote.
 */
export function recordAfterRollback(
  before: AliasRecord | undefined,
  fromVersion: string,
  target: string,
  targetDigest: string,
  fromDigest: string | undefined = before?.digest,
): AliasRecord {
  if (before?.previous === target) {
    const [next, ...rest] = before.history;
    return { digest: targetDigest, previous: next, history: rest };
  }
  return recordAfterPromote(before, fromVersion, targetDigest, fromDigest);
}
