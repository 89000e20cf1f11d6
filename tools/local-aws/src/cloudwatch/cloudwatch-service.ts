/**
 * CloudWatch's DescribeAlarms, the one call promote's canary makes (action-src/promote/src/canary.ts),
 * over AWS JSON 1.0 (`X-Amz-Target: GraniteServiceVersion20100801.*`, what @aws-sdk/client-cloudwatch
 * sends). Alarms are set by the test or story: no metrics are evaluated here.
 */
import { AwsError } from "../aws-error.js";

export const CLOUDWATCH_TARGET_PREFIX = "GraniteServiceVersion20100801.";

export type AlarmStateValue = "OK" | "ALARM" | "INSUFFICIENT_DATA";

export class CloudWatchService {
  private readonly alarms = new Map<string, AlarmStateValue>();
  readonly operations: Record<string, (input: Record<string, unknown>) => Promise<unknown>> = {
    DescribeAlarms: async (input) => this.describeAlarms(input),
  };

  setAlarm(name: string, state: AlarmStateValue): void {
    this.alarms.set(name, state);
  }

  private describeAlarms(input: Record<string, unknown>): unknown {
    const names = input.AlarmNames;
    if (names !== undefined && (!Array.isArray(names) || names.some((name) => typeof name !== "string")))
      throw new AwsError("InvalidParameterValue", "AlarmNames must be a list of strings");
    const wanted = (names as string[] | undefined) ?? [...this.alarms.keys()];
    const types = Array.isArray(input.AlarmTypes) ? (input.AlarmTypes as string[]) : ["MetricAlarm"];
    const metricAlarms = types.includes("MetricAlarm")
      ? wanted
          .filter((name) => this.alarms.has(name))
          .map((name) => ({ AlarmName: name, StateValue: this.alarms.get(name) }))
      : [];
    return { MetricAlarms: metricAlarms, CompositeAlarms: [] };
  }
}
