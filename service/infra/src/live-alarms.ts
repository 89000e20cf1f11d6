import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import { Construct } from "constructs";
import type { ResourceNames } from "./names.js";

export interface LiveAlarmsProps {
  alias: lambda.Alias;
  names: ResourceNames["alarms"];
  p99DurationAlarmMs: number;
}

/**
 * Alarms on the live alias, one-minute periods so promote's canary sees trouble within minutes. Their names
 * are stable: promote reads them with DescribeAlarms(AlarmNames) and rolls the canary back on ALARM.
 */
export class LiveAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: LiveAlarmsProps) {
    super(scope, id);
    const period = Duration.minutes(1);
    const common = {
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    };
    this.alarms = [
      new cloudwatch.Alarm(this, "Errors", {
        ...common,
        alarmName: props.names.errors,
        alarmDescription: "The live alias raised a function error (the service answers bad input with 4xx)",
        metric: props.alias.metricErrors({ period, statistic: cloudwatch.Stats.SUM }),
        threshold: 1,
        evaluationPeriods: 1,
      }),
      new cloudwatch.Alarm(this, "Throttles", {
        ...common,
        alarmName: props.names.throttles,
        alarmDescription: "Invocations of the live alias were throttled (reserved concurrency exhausted)",
        metric: props.alias.metricThrottles({ period, statistic: cloudwatch.Stats.SUM }),
        threshold: 1,
        evaluationPeriods: 1,
      }),
      new cloudwatch.Alarm(this, "P99Duration", {
        ...common,
        alarmName: props.names.p99Duration,
        alarmDescription: `p99 duration of the live alias above ${props.p99DurationAlarmMs} ms for 2 minutes`,
        metric: props.alias.metricDuration({ period, statistic: cloudwatch.Stats.p(99) }),
        threshold: props.p99DurationAlarmMs,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
      }),
    ];
  }
}
