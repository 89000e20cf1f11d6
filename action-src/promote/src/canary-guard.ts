/**
 * A canary must not outlive its job. While one runs, main records it in the step's state; the
 * action's post step (runs.post, which runs "always()" by default, also when the job is cancelled or
 * times out: https://docs.github.com/en/actions/reference/workflows-and-actions/metadata-syntax#runspost-if)
 * reads that state and takes the canary's share off the alias if it is still there.
 */
import type { AliasState } from "@textcat/action-shared/release/lambda";

/** The state names (the runner gives them to the post step as STATE_<name>). */
export const IS_POST_STATE = "isPost";
export const CANARY_STATE = "canary";

/**
 * The longest canary a deploy may ask for. deploy.yml's promote job times out after 30 minutes and the
 * OIDC role session lasts 1 hour ("1 hour for OIDC", configure-aws-credentials' role-duration-seconds):
 * 20 minutes of canary leave the job time for the update, the version checks, the move and its post
 * step, all with valid credentials (scripts/test/workflows.test.ts holds the job to that).
 */
export const MAX_CANARY_MINUTES = 20;

export interface CanaryState {
  functionName: string;
  alias: string;
  /** The version given a share of the traffic. */
  canaryVersion: string;
}

export function encodeCanaryState(state: CanaryState): string {
  return JSON.stringify(state);
}

export function decodeCanaryState(text: string): CanaryState | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<CanaryState>;
    if (
      typeof value.functionName === "string" &&
      typeof value.alias === "string" &&
      typeof value.canaryVersion === "string"
    ) {
      return { functionName: value.functionName, alias: value.alias, canaryVersion: value.canaryVersion };
    }
  } catch {
    // not a state main wrote: nothing to restore
  }
  return undefined;
}

export type RestorePlan = { kind: "nothing"; reason: string } | { kind: "restore"; canaryVersion: string };

/** Restore only what this job left: its canary version still holding a share of the alias. */
export function planRestore(state: CanaryState | undefined, alias: AliasState | undefined): RestorePlan {
  if (!state) return { kind: "nothing", reason: "no canary was left running by this job" };
  if (!alias) return { kind: "nothing", reason: `alias "${state.alias}" does not exist` };
  if (alias.weights[state.canaryVersion] === undefined) {
    return {
      kind: "nothing",
      reason: `alias "${state.alias}" sends nothing to version ${state.canaryVersion}`,
    };
  }
  return { kind: "restore", canaryVersion: state.canaryVersion };
}
