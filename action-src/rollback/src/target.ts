/** Which version a rollback goes to. */
import { ActionError } from "@textcat/action-shared/errors";
import type { AliasRecord } from "@textcat/action-shared/release/alias-record";

export interface RollbackTarget {
  version: string;
  /** Why this version: shown in the log and the summary. */
  reason: string;
}

export interface TargetFacts {
  /** The to-version input ("" = choose). */
  requested: string;
  current: string;
  /** Traffic the alias sends to other versions: a canary left behind by an interrupted promote. */
  weights: Record<string, number>;
  /** promote's record on the alias: `previous` is the last version it verified and served before. */
  record: AliasRecord | undefined;
}

/**
 * Only a version the pipeline verified (golden requests answered, then served) is chosen: the one
 * promote recorded as previous. No record means no known-good version: the operator names one.
 */
export function chooseRollbackTarget(facts: TargetFacts): RollbackTarget {
  if (facts.requested) return { version: facts.requested, reason: "to-version input" };
  if (Object.keys(facts.weights).length > 0) {
    return {
      version: facts.current,
      reason: "stop the canary left on the alias: all traffic back to the current version",
    };
  }
  const previous = facts.record?.previous;
  if (previous && previous !== facts.current)
    return { version: previous, reason: "previous version promote verified and recorded" };
  throw new ActionError(
    `alias records no earlier version promote verified (only such a version is chosen): give to-version`,
  );
}
