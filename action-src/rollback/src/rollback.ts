/**
 * The rollback steps: choose the version, check it answers the golden requests before any traffic
 * moves, move the alias (clearing any canary weights), then check the alias itself answers them.
 */
import type { LambdaClient } from "@aws-sdk/client-lambda";
import * as core from "@actions/core";
import type { Clock } from "@textcat/action-shared/clock";
import { ActionError } from "@textcat/action-shared/errors";
import { errorMessage } from "@textcat/kit/errors";
import type { StepTimings } from "@textcat/action-shared/timings";
import {
  decodeAliasRecord,
  encodeAliasRecord,
  recordAfterRollback,
} from "@textcat/action-shared/release/alias-record";
import type { GoldenResult } from "@textcat/action-shared/release/golden";
import type { GoldenCase } from "@textcat/contract";
import {
  pointAlias,
  readAlias,
  readVersionImage,
  runGoldenRequests,
} from "@textcat/action-shared/release/lambda";
import { decodeVersionDescription } from "@textcat/action-shared/release/version-record";
import { chooseRollbackTarget } from "./target.js";

export interface RollbackRequest {
  functionName: string;
  alias: string;
  toVersion: string;
  /** Sent to the target version, then to the alias; every one must get its expected label. */
  golden: readonly GoldenCase[];
}

export interface RollbackDeps {
  lambda: LambdaClient;
  clock: Clock;
  timings: StepTimings;
  /** Told which version (and the commit it was built from, if recorded) the alias is going to serve. */
  onTarget?: (target: { version: string; gitSha: string | undefined }) => Promise<void>;
}

export interface RollbackResult {
  changed: boolean;
  version: string;
  previousVersion: string;
  digest: string;
  reason: string;
  /** The commit the served version was built from (promote records it), if known. */
  gitSha: string | undefined;
  golden?: GoldenResult;
}

export async function rollback(request: RollbackRequest, deps: RollbackDeps): Promise<RollbackResult> {
  const { lambda, timings } = deps;
  const { functionName, alias: aliasName } = request;

  const alias = await timings.time("read alias", async () => {
    const found = await readAlias(lambda, functionName, aliasName);
    if (!found) {
      await readVersionImage(lambda, functionName); // a missing function says so
      throw new ActionError(`alias "${aliasName}" of "${functionName}" does not exist: nothing to roll back`);
    }
    return found;
  });
  const record = decodeAliasRecord(alias.description);
  const target = await timings.time("choose version", async () =>
    chooseRollbackTarget({
      requested: request.toVersion,
      current: alias.version,
      weights: alias.weights,
      record,
    }),
  );
  core.info(
    `Rolling "${aliasName}" back from version ${alias.version} to ${target.version} (${target.reason})`,
  );
  const [image, serving] = await timings.time("read version", () =>
    Promise.all([
      readVersionImage(lambda, functionName, target.version),
      readVersionImage(lambda, functionName, alias.version),
    ]),
  );
  const gitSha = decodeVersionDescription(image.description).git;
  await deps.onTarget?.({ version: target.version, gitSha });

  if (target.version === alias.version && Object.keys(alias.weights).length === 0) {
    return {
      changed: false,
      version: alias.version,
      previousVersion: record?.previous ?? "",
      digest: image.digest,
      reason: target.reason,
      gitSha,
    };
  }

  await timings.time("check version", () =>
    check(lambda, functionName, target.version, `version ${target.version}`, request.golden),
  );
  const description = encodeAliasRecord(
    recordAfterRollback(record, alias.version, target.version, image.digest, serving.digest),
  );
  await timings.time("move alias", () =>
    pointAlias(
      lambda,
      { functionName, alias: aliasName, version: target.version, description, weights: {} },
      alias,
      (ms) => deps.clock.sleep(ms),
    ),
  );
  const golden = await timings.time("check alias", async () => {
    try {
      return await check(lambda, functionName, aliasName, `alias "${aliasName}"`, request.golden);
    } catch (error) {
      throw new ActionError(
        `moved to version ${target.version}, but the check failed: ${errorMessage(error)}`,
      );
    }
  });
  return {
    changed: true,
    version: target.version,
    previousVersion: alias.version,
    digest: image.digest,
    reason: target.reason,
    gitSha,
    golden,
  };
}

async function check(
  lambda: LambdaClient,
  functionName: string,
  qualifier: string,
  what: string,
  golden: readonly GoldenCase[],
): Promise<GoldenResult> {
  const result = await runGoldenRequests(lambda, functionName, qualifier, golden);
  if (result.failures.length > 0) {
    throw new ActionError(
      `${what} failed ${result.failures.length}/${result.total} golden requests: ${result.failures.slice(0, 3).join("; ")}`,
    );
  }
  return result;
}
