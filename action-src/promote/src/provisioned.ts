/** Provisioned concurrency of one version: put it and wait until Lambda reports READY, or release it. */
import {
  DeleteProvisionedConcurrencyConfigCommand,
  GetProvisionedConcurrencyConfigCommand,
  PutProvisionedConcurrencyConfigCommand,
  type LambdaClient,
} from "@aws-sdk/client-lambda";
import { awsErrorName } from "@textcat/action-shared/aws";
import type { Clock } from "@textcat/action-shared/clock";
import { ActionError } from "@textcat/action-shared/errors";
import { retryWhileBusy } from "@textcat/action-shared/release/lambda";
import { provisionedProgress } from "./decide.js";

/** 1, 2, 4, 5, 5 … s: a local stand-in is READY in seconds, AWS in a minute or two. */
const pollDelayMs = (attempt: number) => Math.min(5_000, 1_000 * 2 ** attempt);

/**
 * PutProvisionedConcurrencyConfig answers 202 with Status IN_PROGRESS; GetProvisionedConcurrencyConfig is
 * polled until READY (https://docs.aws.amazon.com/lambda/latest/api/API_PutProvisionedConcurrencyConfig.html,
 * https://docs.aws.amazon.com/lambda/latest/api/API_GetProvisionedConcurrencyConfig.html).
 */
export async function provisionVersion(
  lambda: LambdaClient,
  target: { functionName: string; version: string; count: number },
  clock: Clock,
  maxWaitMs: number,
): Promise<void> {
  const { functionName, version, count } = target;
  const sleep = (ms: number) => clock.sleep(ms);
  let current = await retryWhileBusy(
    () =>
      lambda.send(
        new PutProvisionedConcurrencyConfigCommand({
          FunctionName: functionName,
          Qualifier: version,
          ProvisionedConcurrentExecutions: count,
        }),
      ),
    sleep,
  );
  const startedAt = clock.now();
  for (let attempt = 0; ; attempt++) {
    const progress = provisionedProgress(
      { status: current.Status, reason: current.StatusReason },
      clock.now() - startedAt,
      maxWaitMs,
    );
    if (progress.kind === "ready") return;
    if (progress.kind === "failed") {
      throw new ActionError(`provisioned concurrency ${count} for version ${version}: ${progress.reason}`);
    }
    await clock.sleep(pollDelayMs(attempt));
    current = await lambda.send(
      new GetProvisionedConcurrencyConfigCommand({ FunctionName: functionName, Qualifier: version }),
    );
  }
}

/**
 * Deletes a version's provisioned concurrency; a version that has none is fine (nothing to release).
 * Delete's API page lists ResourceNotFoundException for a missing resource, Get's lists
 * ProvisionedConcurrencyConfigNotFoundException: both mean there is nothing to release
 * (https://docs.aws.amazon.com/lambda/latest/api/API_DeleteProvisionedConcurrencyConfig.html).
 */
export async function releaseVersion(
  lambda: LambdaClient,
  functionName: string,
  version: string,
  clock: Clock,
): Promise<void> {
  try {
    await retryWhileBusy(
      () =>
        lambda.send(
          new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: functionName, Qualifier: version }),
        ),
      (ms) => clock.sleep(ms),
    );
  } catch (error) {
    const name = awsErrorName(error);
    if (name === "ProvisionedConcurrencyConfigNotFoundException" || name === "ResourceNotFoundException")
      return;
    throw error;
  }
}
