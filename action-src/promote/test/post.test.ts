/**
 * The post step, run the way the runner runs it: the same bundle (runs.post: dist/index.js), the
 * step's inputs again, and the state main saved handed over as STATE_<name> variables. Against the
 * local Lambda stand-in, as a job cancelled or timed out mid-canary leaves the alias.
 */
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  GetAliasCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  waitUntilPublishedVersionActive,
  type LambdaClient,
} from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { startLocalAws, type LocalAws } from "@textcat/local-aws";
import { clientsFor } from "@textcat/local-aws/testing/clients";
import { fixtureImage } from "@textcat/local-aws/testing/fixture-image";
import type { ActionEnv } from "@textcat/action-shared/testing/action-env";
import { actionEnvFor } from "@textcat/action-shared/testing/action-env";
import { runBundle } from "@textcat/action-shared/testing/run-bundle";
import { CANARY_STATE, encodeCanaryState, IS_POST_STATE } from "../src/canary-guard.js";

const setupActionEnv = actionEnvFor("promote");

let aws: LocalAws;
let lambda: LambdaClient;
const FunctionName = `promote-post-${process.pid}`;
const waiter = () => ({ client: lambda, maxWaitTime: 60, minDelay: 1 });

beforeAll(async () => {
  const [first, second] = [await fixtureImage("promote-post-a"), await fixtureImage("promote-post-b")];
  aws = await startLocalAws({ updateDelayMs: 100 });
  lambda = clientsFor(aws.endpoint).lambda;
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName,
      Role: "arn:aws:iam::000000000000:role/local",
      PackageType: "Image",
      Code: { ImageUri: first.uri },
    }),
  );
  await waitUntilFunctionActiveV2(waiter(), { FunctionName });
  await lambda.send(new PublishVersionCommand({ FunctionName }));
  await lambda.send(new UpdateFunctionCodeCommand({ FunctionName, ImageUri: second.uri }));
  await waitUntilFunctionUpdatedV2(waiter(), { FunctionName });
  await lambda.send(new PublishVersionCommand({ FunctionName }));
  await waitUntilPublishedVersionActive(waiter(), { FunctionName, Qualifier: "2" });
  await lambda.send(
    new CreateAliasCommand({ FunctionName, Name: "live", FunctionVersion: "1", Description: "record" }),
  );
}, 300_000);
afterAll(async () => aws?.close());

/** What a killed promote leaves: 10 % of "live" on version 2. */
beforeEach(async () => {
  const alias = await lambda.send(new GetAliasCommand({ FunctionName, Name: "live" }));
  await lambda.send(
    new UpdateAliasCommand({
      FunctionName,
      Name: "live",
      FunctionVersion: "1",
      RoutingConfig: { AdditionalVersionWeights: { "2": 0.1 } },
      RevisionId: alias.RevisionId,
    }),
  );
});

async function runPost(state: Record<string, string>): Promise<{ exitCode: number | null; env: ActionEnv }> {
  const env = setupActionEnv(
    { "function-name": FunctionName, "aws-region": "us-east-1" },
    {
      AWS_ENDPOINT_URL: aws.endpoint,
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      ...Object.fromEntries(Object.entries(state).map(([name, value]) => [`STATE_${name}`, value])),
    },
  );
  const result = await runBundle("promote", env);
  return { exitCode: result.exitCode, env };
}

test("a canary the job left running is taken off the alias, which keeps its version and record", async () => {
  const { exitCode, env } = await runPost({
    [IS_POST_STATE]: "true",
    [CANARY_STATE]: encodeCanaryState({ functionName: FunctionName, alias: "live", canaryVersion: "2" }),
  });
  env.restore();
  expect(exitCode).toBe(0);
  const alias = await lambda.send(new GetAliasCommand({ FunctionName, Name: "live" }));
  expect(alias.FunctionVersion).toBe("1");
  expect(alias.RoutingConfig?.AdditionalVersionWeights ?? {}).toEqual({});
  expect(alias.Description).toBe("record");
});

test("after a promote that ended on its own (state cleared) the post step touches nothing", async () => {
  const { exitCode, env } = await runPost({ [IS_POST_STATE]: "true", [CANARY_STATE]: "" });
  env.restore();
  expect(exitCode).toBe(0);
  const alias = await lambda.send(new GetAliasCommand({ FunctionName, Name: "live" }));
  expect(alias.RoutingConfig?.AdditionalVersionWeights).toEqual({ "2": 0.1 });
});
