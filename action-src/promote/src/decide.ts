/** The pure decisions of promote: whether there is anything to do, and what a version records. */
import { isPublishedVersion } from "../../shared/src/release/alias-record.js";
import type { AliasState } from "../../shared/src/release/lambda.js";

export type PromoteDecision = { kind: "already-serving"; version: string } | { kind: "deploy" };

/**
 * Nothing to do only when the alias serves the digest with all of its traffic; an alias stuck
 * mid-canary (weights left by an interrupted run) is deployed again, which clears the weights.
 */
export function decidePromote(
  alias: AliasState | undefined,
  aliasDigest: string,
  targetDigest: string,
): PromoteDecision {
  const splitTraffic = alias ? Object.keys(alias.weights).length > 0 : false;
  if (alias && aliasDigest === targetDigest && !splitTraffic) {
    return { kind: "already-serving", version: alias.version };
  }
  return { kind: "deploy" };
}

export { versionDescription } from "../../shared/src/release/version-record.js";

export type CanaryPlan =
  { kind: "none"; reason?: string } | { kind: "canary"; weight: number; durationMs: number };

/** `aliasVersion` is what the alias serves now (undefined on a first deploy). */
export function planCanary(
  weightPercent: number,
  minutes: number,
  aliasVersion: string | undefined,
): CanaryPlan {
  if (weightPercent <= 0) return { kind: "none" };
  if (!aliasVersion)
    return { kind: "none", reason: "first deploy: there is no old version to share traffic with" };
  if (!isPublishedVersion(aliasVersion)) {
    return {
      kind: "none",
      reason: `the alias points to ${aliasVersion}; Lambda splits traffic only between published versions`,
    };
  }
  if (minutes <= 0) return { kind: "none", reason: "canary-minutes is 0" };
  return { kind: "canary", weight: weightPercent / 100, durationMs: Math.round(minutes * 60_000) };
}
