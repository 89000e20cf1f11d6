/** Which version a rollback goes to. */
import { ActionError } from "../../shared/src/errors.js";
import type { AliasRecord } from "../../shared/src/release/alias-record.js";
import { isPublishedVersion } from "../../shared/src/release/alias-record.js";

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
  record: AliasRecord | undefined;
  /** Published versions of the function, asked for only when nothing else decides. */
  listVersions: () => Promise<string[]>;
}

export async function chooseRollbackTarget(facts: TargetFacts): Promise<RollbackTarget> {
  if (facts.requested) return { version: facts.requested, reason: "to-version input" };
  if (Object.keys(facts.weights).length > 0) {
    return {
      version: facts.current,
      reason: "stop the canary left on the alias: all traffic back to the current version",
    };
  }
  const previous = facts.record?.previous;
  if (previous && previous !== facts.current)
    return { version: previous, reason: "previous version recorded by promote" };
  const below = highestVersionBelow(await facts.listVersions(), facts.current);
  if (!below)
    throw new ActionError(`no published version below ${facts.current} to roll back to; give to-version`);
  return { version: below, reason: `highest published version below ${facts.current}` };
}

export function highestVersionBelow(versions: readonly string[], current: string): string | undefined {
  const limit = Number(current);
  const below = versions
    .filter(isPublishedVersion)
    .map(Number)
    .filter((v) => v < limit);
  return below.length > 0 ? String(Math.max(...below)) : undefined;
}
