/** The pure decisions of promote: whether there is anything to do, and what a version records. */
import { isPublishedVersion } from "@textcat/action-shared/release/alias-record";
import type { AliasState } from "@textcat/action-shared/release/lambda";

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
  // Stryker disable next-line BooleanLiteral: equivalent, without an alias the decision below is deploy whatever this says
  const splitTraffic = alias ? Object.keys(alias.weights).length > 0 : false;
  if (alias && aliasDigest === targetDigest && !splitTraffic) {
    return { kind: "already-serving", version: alias.version };
  }
  return { kind: "deploy" };
}

export { versionDescription } from "@textcat/action-shared/release/version-record";

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

/**
 * Provisioned concurrency goes on versions, not on the alias: "If you change the version that an alias
 * points to, Lambda deallocates the provisioned concurrency from the old version and allocates it to the
 * new version" (https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html), i.e. only
 * after the switch. On versions, the new one is warmed first and the old one released last.
 */
export type WarmPlan =
  { kind: "none" } | { kind: "warm"; version: string; count: number; release: string | undefined };

/** `aliasVersions`: what the alias serves now (primary and canary), so none of it is ever released early. */
export function planWarmup(count: number, newVersion: string, aliasVersions: readonly string[]): WarmPlan {
  if (count <= 0) return { kind: "none" };
  const old = aliasVersions[0];
  const release = old && old !== newVersion && isPublishedVersion(old) ? old : undefined;
  return { kind: "warm", version: newVersion, count, release };
}

/** After a failure: the new version's provisioned concurrency is released unless the alias already uses it. */
export function releaseAfterFailure(plan: WarmPlan, aliasVersions: readonly string[]): string | undefined {
  // Stryker disable next-line ConditionalExpression: equivalent, a "none" plan has no version, so it returns undefined either way
  if (plan.kind !== "warm" || aliasVersions.includes(plan.version)) return undefined;
  return plan.version;
}

export interface ProvisionedStatus {
  /** GetProvisionedConcurrencyConfig's Status: IN_PROGRESS | READY | FAILED. */
  status: string | undefined;
  reason: string | undefined;
}

export type ProvisionedProgress = { kind: "ready" } | { kind: "wait" } | { kind: "failed"; reason: string };

/**
 * "Status – The status of the allocation process. Valid Values: IN_PROGRESS | READY | FAILED"
 * (https://docs.aws.amazon.com/lambda/latest/api/API_GetProvisionedConcurrencyConfig.html).
 * An unknown status is waited on like IN_PROGRESS until the deadline.
 */
export function provisionedProgress(
  current: ProvisionedStatus,
  elapsedMs: number,
  maxWaitMs: number,
): ProvisionedProgress {
  if (current.status === "READY") return { kind: "ready" };
  if (current.status === "FAILED") {
    return { kind: "failed", reason: current.reason || "Lambda gave no reason" };
  }
  if (elapsedMs >= maxWaitMs) {
    return {
      kind: "failed",
      reason: `still ${current.status ?? "unknown"} after ${Math.round(elapsedMs / 1000)} s`,
    };
  }
  return { kind: "wait" };
}
