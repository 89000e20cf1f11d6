/** The canary: a share of the alias's traffic on the new version while CloudWatch alarms are watched. */
import { DescribeAlarmsCommand, type CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { Clock } from "@textcat/action-shared/clock";
import { ActionError } from "@textcat/action-shared/errors";

export interface AlarmState {
  name: string;
  /** OK, ALARM or INSUFFICIENT_DATA (a quiet canary often has no data: that is not a failure). */
  state: string;
}

export type CanaryVerdict = { kind: "wait" } | { kind: "abort"; firing: string[] } | { kind: "promote" };

/** Any watched alarm in ALARM aborts, even on the last poll; otherwise the canary ends when its time is up. */
export function canaryVerdict(
  alarms: readonly AlarmState[],
  elapsedMs: number,
  durationMs: number,
): CanaryVerdict {
  const firing = alarms.filter((alarm) => alarm.state === "ALARM").map((alarm) => alarm.name);
  if (firing.length > 0) return { kind: "abort", firing };
  return elapsedMs >= durationMs ? { kind: "promote" } : { kind: "wait" };
}

export function missingAlarms(wanted: readonly string[], found: readonly AlarmState[]): string[] {
  const names = new Set(found.map((alarm) => alarm.name));
  return wanted.filter((name) => !names.has(name));
}

export async function readAlarms(
  cloudwatch: CloudWatchClient,
  names: readonly string[],
): Promise<AlarmState[]> {
  if (names.length === 0) return [];
  const states: AlarmState[] = [];
  let nextToken: string | undefined;
  do {
    const page = await cloudwatch.send(
      new DescribeAlarmsCommand({
        AlarmNames: [...names],
        AlarmTypes: ["MetricAlarm", "CompositeAlarm"],
        NextToken: nextToken,
      }),
    );
    // Stryker disable next-line ArrayDeclaration: equivalent, an element put in an absent list has no AlarmName and is skipped
    for (const alarm of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
      if (alarm.AlarmName)
        states.push({ name: alarm.AlarmName, state: alarm.StateValue ?? "INSUFFICIENT_DATA" });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return states;
}

/** Before any change: every named alarm must exist and none may already be firing. */
export async function checkAlarmsBeforeCanary(
  cloudwatch: CloudWatchClient,
  names: readonly string[],
): Promise<void> {
  const states = await readAlarms(cloudwatch, names);
  const missing = missingAlarms(names, states);
  if (missing.length > 0)
    throw new ActionError(`alarm(s) not found: ${missing.join(", ")} (check alarm-names)`);
  const verdict = canaryVerdict(states, 0, 1);
  if (verdict.kind === "abort") {
    throw new ActionError(
      `alarm(s) already in ALARM before the canary: ${verdict.firing.join(", ")}; not deploying`,
    );
  }
}

export const CANARY_POLL_MS = 15_000;

export type CanaryOutcome =
  { kind: "passed"; polls: number } | { kind: "aborted"; firing: string[]; afterMs: number };

/** Polls the alarms until the canary's time is up or one fires. */
export async function watchCanary(
  cloudwatch: CloudWatchClient,
  alarmNames: readonly string[],
  durationMs: number,
  clock: Clock,
): Promise<CanaryOutcome> {
  const start = clock.now();
  for (let polls = 1; ; polls++) {
    const elapsedMs = clock.now() - start;
    const verdict = canaryVerdict(await readAlarms(cloudwatch, alarmNames), elapsedMs, durationMs);
    if (verdict.kind === "abort") return { kind: "aborted", firing: verdict.firing, afterMs: elapsedMs };
    if (verdict.kind === "promote") return { kind: "passed", polls };
    await clock.sleep(Math.min(CANARY_POLL_MS, durationMs - elapsedMs));
  }
}
