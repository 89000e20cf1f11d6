/**
 * The canary's watch loop and its DescribeAlarms reads, against a mocked CloudWatch and a fake clock
 * that does not start at 0 (a clock at 0 hides elapsed time computed from the wrong origin).
 */
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, test } from "vitest";
import { fakeClock } from "@textcat/action-shared/clock";
import { CANARY_POLL_MS, checkAlarmsBeforeCanary, readAlarms, watchCanary } from "../src/canary.js";

const cloudwatch = mockClient(CloudWatchClient);
const client = () => new CloudWatchClient({ region: "eu-west-1" });
const metric = (name: string, state: string) => ({ AlarmName: name, StateValue: state as "OK" });
const START = 1_700_000_000_000;

beforeEach(() => cloudwatch.reset());

describe("readAlarms", () => {
  test("asks for exactly the named alarms, metric and composite ones alike", async () => {
    // "If you omit this parameter [AlarmTypes], only metric alarms are returned"
    // (https://boto3.amazonaws.com/v1/documentation/api/1.26.93/reference/services/cloudwatch/paginator/DescribeAlarms.html)
    cloudwatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [metric("errors", "OK")],
      CompositeAlarms: [{ AlarmName: "health", StateValue: "ALARM" }],
    });
    expect(await readAlarms(client(), ["errors", "health"])).toEqual([
      { name: "errors", state: "OK" },
      { name: "health", state: "ALARM" },
    ]);
    expect(cloudwatch.commandCalls(DescribeAlarmsCommand).map((call) => call.args[0].input)).toEqual([
      { AlarmNames: ["errors", "health"], AlarmTypes: ["MetricAlarm", "CompositeAlarm"] },
    ]);
  });

  test("reads every page: each request after the first carries the NextToken of the one before", async () => {
    // "NextToken: The token returned by a previous call to indicate that there is more data available"
    // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html)
    cloudwatch
      .on(DescribeAlarmsCommand)
      .resolvesOnce({ MetricAlarms: [metric("a", "OK")], NextToken: "page-2" })
      .resolvesOnce({ MetricAlarms: [metric("b", "ALARM")], NextToken: "page-3" })
      .resolvesOnce({ CompositeAlarms: [{ AlarmName: "c", StateValue: "OK" }] });
    expect(await readAlarms(client(), ["a", "b", "c"])).toEqual([
      { name: "a", state: "OK" },
      { name: "b", state: "ALARM" },
      { name: "c", state: "OK" },
    ]);
    const tokens = cloudwatch.commandCalls(DescribeAlarmsCommand).map((call) => call.args[0].input.NextToken);
    expect(tokens).toEqual([undefined, "page-2", "page-3"]);
  });

  test("an alarm without a state reads as INSUFFICIENT_DATA; one without a name is dropped", async () => {
    cloudwatch
      .on(DescribeAlarmsCommand)
      .resolves({ MetricAlarms: [{ AlarmName: "quiet" }, { StateValue: "ALARM" }] });
    expect(await readAlarms(client(), ["quiet"])).toEqual([{ name: "quiet", state: "INSUFFICIENT_DATA" }]);
  });

  test("no names: CloudWatch is not asked (an empty AlarmNames would describe every alarm)", async () => {
    expect(await readAlarms(client(), [])).toEqual([]);
    expect(cloudwatch.commandCalls(DescribeAlarmsCommand)).toHaveLength(0);
  });
});

describe("checkAlarmsBeforeCanary", () => {
  test("every alarm present and none firing: the canary may start", async () => {
    cloudwatch
      .on(DescribeAlarmsCommand)
      .resolves({ MetricAlarms: [metric("a", "OK"), metric("b", "INSUFFICIENT_DATA")] });
    await expect(checkAlarmsBeforeCanary(client(), ["a", "b"])).resolves.toBeUndefined();
  });

  test("an alarm CloudWatch does not know stops the deploy and is named", async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [metric("a", "OK")] });
    await expect(checkAlarmsBeforeCanary(client(), ["a", "b", "c"])).rejects.toThrow(
      "alarm(s) not found: b, c (check alarm-names)",
    );
  });

  test("an alarm already firing stops the deploy and is named", async () => {
    cloudwatch
      .on(DescribeAlarmsCommand)
      .resolves({ MetricAlarms: [metric("a", "ALARM"), metric("b", "OK"), metric("c", "ALARM")] });
    await expect(checkAlarmsBeforeCanary(client(), ["a", "b", "c"])).rejects.toThrow(
      "alarm(s) already in ALARM before the canary: a, c; not deploying",
    );
  });
});

describe("watchCanary", () => {
  test("watches for the whole duration measured from its own start, one poll interval apart", async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [metric("a", "OK")] });
    const clock = fakeClock(START);
    expect(await watchCanary(client(), ["a"], 4 * CANARY_POLL_MS, clock)).toEqual({
      kind: "passed",
      polls: 5,
    });
    expect(clock.sleeps).toEqual([CANARY_POLL_MS, CANARY_POLL_MS, CANARY_POLL_MS, CANARY_POLL_MS]);
    expect(clock.now() - START).toBe(4 * CANARY_POLL_MS);
  });

  test("the last wait is shortened to the time left: the canary never overruns its duration", async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [metric("a", "OK")] });
    const clock = fakeClock(START);
    expect(await watchCanary(client(), ["a"], 40_000, clock)).toEqual({ kind: "passed", polls: 4 });
    expect(clock.sleeps).toEqual([15_000, 15_000, 10_000]);
  });

  test("an alarm firing mid-canary aborts it and says after how long", async () => {
    cloudwatch
      .on(DescribeAlarmsCommand)
      .resolvesOnce({ MetricAlarms: [metric("a", "OK")] })
      .resolvesOnce({ MetricAlarms: [metric("a", "OK")] })
      .resolves({ MetricAlarms: [metric("a", "ALARM")] });
    const clock = fakeClock(START);
    expect(await watchCanary(client(), ["a"], 60_000, clock)).toEqual({
      kind: "aborted",
      firing: ["a"],
      afterMs: 30_000,
    });
  });
});
