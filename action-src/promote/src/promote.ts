/**
 * The promote steps, in order. Nothing before "move alias" touches the alias, so a failure at any of
 * them leaves it where it was; a canary that fails (or errors) puts the alias back before returning.
 * With provisioned concurrency, the new version is warmed (READY) before its golden requests, a failure
 * releases only the new version's, and the old version's is released only after the alias moved.
 */
import {
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  waitUntilFunctionUpdatedV2,
  waitUntilPublishedVersionActive,
} from "@aws-sdk/client-lambda";
import { GetFunctionConfigurationCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { ECRClient } from "@aws-sdk/client-ecr";
import * as core from "@actions/core";
import type { Clock } from "@textcat/action-shared/clock";
import { ActionError } from "@textcat/action-shared/errors";
import { errorMessage } from "@textcat/kit/errors";
import type { StepTimings } from "@textcat/action-shared/timings";
import {
  decodeAliasRecord,
  encodeAliasRecord,
  recordAfterPromote,
} from "@textcat/action-shared/release/alias-record";
import type { GoldenResult } from "@textcat/action-shared/release/golden";
import type { GoldenCase } from "@textcat/contract";
import type { AliasState } from "@textcat/action-shared/release/lambda";
import {
  pointAlias,
  readAlias,
  readVersionImage,
  retryWhileBusy,
  runGoldenRequests,
} from "@textcat/action-shared/release/lambda";
import type { CanaryOutcome } from "./canary.js";
import { checkAlarmsBeforeCanary, watchCanary } from "./canary.js";
import type { WarmPlan } from "./decide.js";
import { decidePromote, planCanary, planWarmup, releaseAfterFailure, versionDescription } from "./decide.js";
import { pinnedImageUri } from "./image-ref.js";
import type { ImageSource } from "./inputs.js";
import { deployedTag, tagImageDeployed } from "./protect-image.js";
import { provisionVersion, releaseVersion } from "./provisioned.js";
import { resolveImage } from "./resolve-image.js";

export interface PromoteRequest {
  functionName: string;
  alias: string;
  image: ImageSource;
  ecrRepository: string;
  golden: readonly GoldenCase[];
  gitSha: string;
  modelSha256: string;
  canaryWeight: number;
  canaryMinutes: number;
  alarmNames: readonly string[];
  /** Environments kept initialized for the version the alias serves; 0 = none (on-demand only). */
  provisionedConcurrency: number;
}

export interface PromoteDeps {
  lambda: LambdaClient;
  ecr: ECRClient;
  cloudwatch: CloudWatchClient;
  clock: Clock;
  timings: StepTimings;
  /** How long the SDK waiter may wait for Lambda to apply the new code. */
  maxWaitSeconds?: number;
  /** Told when a canary share is on the alias, so a post step can take it off if the job dies. */
  onCanaryStart?: (canaryVersion: string) => void;
  /** How long provisioned concurrency may take to become READY. */
  maxProvisionSeconds?: number;
}

export interface PromoteResult {
  changed: boolean;
  version: string;
  previousVersion: string;
  digest: string;
  imageUri: string;
  golden?: GoldenResult;
  canary?: CanaryOutcome;
  /** Set when provisioned concurrency was configured; `kept` names an old version whose release failed. */
  provisioned?: { version: string; count: number; released?: string; kept?: string };
}

export async function promote(request: PromoteRequest, deps: PromoteDeps): Promise<PromoteResult> {
  const { lambda, timings } = deps;
  const { functionName, alias: aliasName } = request;
  const sleep = (ms: number) => deps.clock.sleep(ms);

  const { current, alias, aliasImage } = await timings.time("read function and alias", async () => {
    const current = await readVersionImage(lambda, functionName);
    const alias = await readAlias(lambda, functionName, aliasName);
    const aliasImage = alias ? await readVersionImage(lambda, functionName, aliasName) : undefined;
    return { current, alias, aliasImage };
  });
  const target = await timings.time("resolve image", () =>
    resolveImage(deps.ecr, request.image, request.ecrRepository, current.imageUri),
  );
  const imageUri = pinnedImageUri(target);
  const record = decodeAliasRecord(alias?.description);
  // Before Lambda points at the digest, so the ECR lifecycle policy can never expire what is deployed.
  const protectImage = () =>
    timings.time("tag image deployed", async () => {
      const outcome = await tagImageDeployed(deps.ecr, target, { sleep });
      core.info(
        `ECR: ${target.digest} ${outcome === "tagged" ? "tagged" : "already tagged"} ${deployedTag(target.digest)}`,
      );
    });

  const decision = decidePromote(alias, aliasImage?.digest ?? "", target.digest);
  if (decision.kind === "already-serving") {
    await protectImage(); // also protects an image deployed before promote tagged anything
    core.info(
      `Alias "${aliasName}" already serves ${target.digest} (version ${decision.version}): nothing to do`,
    );
    return {
      changed: false,
      version: decision.version,
      previousVersion: record?.previous ?? "",
      digest: target.digest,
      imageUri,
    };
  }

  const canary = planCanary(request.canaryWeight, request.canaryMinutes, alias?.version);
  if (canary.kind === "none" && canary.reason) core.notice(`No canary: ${canary.reason}`);
  if (canary.kind === "canary" && request.alarmNames.length > 0) {
    await timings.time("check alarms", () => checkAlarmsBeforeCanary(deps.cloudwatch, request.alarmNames));
  }

  await protectImage();
  const codeSha256 = await timings.time("update code", async () => {
    const updated = await retryWhileBusy(
      () => lambda.send(new UpdateFunctionCodeCommand({ FunctionName: functionName, ImageUri: imageUri })),
      sleep,
    );
    return updated.CodeSha256;
  });
  await timings.time("wait for update", () =>
    waitForUpdate(lambda, functionName, deps.maxWaitSeconds ?? 600),
  );

  const version = await timings.time("publish version", async () => {
    const published = await retryWhileBusy(
      () =>
        lambda.send(
          new PublishVersionCommand({
            FunctionName: functionName,
            CodeSha256: codeSha256,
            Description: versionDescription(target.digest, request.gitSha, request.modelSha256),
          }),
        ),
      sleep,
    );
    if (!published.Version) throw new ActionError("PublishVersion returned no version number");
    const runs = await readVersionImage(lambda, functionName, published.Version);
    if (runs.digest !== target.digest) {
      throw new ActionError(
        `version ${published.Version} runs ${runs.digest || runs.imageUri}, not ${target.digest} (function changed meanwhile?)`,
      );
    }
    return published.Version;
  });
  await timings.time("wait for version active", () =>
    waitForVersionActive(lambda, functionName, version, deps.maxWaitSeconds ?? 600),
  );

  const aliasVersions = alias ? [alias.version, ...Object.keys(alias.weights)] : [];
  const warm = planWarmup(request.provisionedConcurrency, version, aliasVersions);
  let golden: GoldenResult;
  let canaryOutcome: CanaryOutcome | undefined;
  try {
    ({ golden, canaryOutcome } = await warmCheckAndSwitch(request, deps, {
      version,
      warm,
      alias,
      record,
      canary,
      digest: target.digest,
      aliasDigest: aliasImage?.digest,
    }));
  } catch (error) {
    throw await releaseAfter(error, deps, functionName, releaseAfterFailure(warm, aliasVersions));
  }
  const provisioned = warm.kind === "warm" ? await releaseOld(deps, functionName, warm) : undefined;
  return {
    changed: true,
    version,
    previousVersion: alias?.version ?? "",
    digest: target.digest,
    imageUri,
    golden,
    canary: canaryOutcome,
    provisioned,
  };
}

interface SwitchPlan {
  version: string;
  warm: WarmPlan;
  alias: AliasState | undefined;
  record: ReturnType<typeof decodeAliasRecord>;
  canary: ReturnType<typeof planCanary>;
  digest: string;
  /** The image the alias served before, recorded with the version it rolls back to. */
  aliasDigest: string | undefined;
}

/** Warm (when planned), golden requests, canary, move the alias: the steps a failure must undo. */
async function warmCheckAndSwitch(
  request: PromoteRequest,
  deps: PromoteDeps,
  plan: SwitchPlan,
): Promise<{ golden: GoldenResult; canaryOutcome: CanaryOutcome | undefined }> {
  const { lambda, timings } = deps;
  const { functionName, alias: aliasName } = request;
  const { version, warm, alias, canary, record } = plan;
  const sleep = (ms: number) => deps.clock.sleep(ms);
  if (warm.kind === "warm") {
    await timings.time("provision concurrency", () =>
      provisionVersion(
        lambda,
        { functionName, version, count: warm.count },
        deps.clock,
        (deps.maxProvisionSeconds ?? 900) * 1000,
      ),
    );
    core.info(`Version ${version}: provisioned concurrency ${warm.count} READY`);
  }
  const golden = await timings.time("golden requests", async () => {
    const result = await runGoldenRequests(
      lambda,
      functionName,
      version,
      request.golden,
      request.modelSha256,
    );
    if (result.failures.length > 0) {
      throw new ActionError(
        `version ${version} failed ${result.failures.length}/${result.total} golden requests: ${result.failures.slice(0, 3).join("; ")}`,
      );
    }
    return result;
  });

  let aliasNow: AliasState | undefined = alias;
  let canaryOutcome: CanaryOutcome | undefined;
  if (canary.kind === "canary" && alias) {
    const watched = await timings.time("canary", () =>
      runCanary(request, deps, alias, version, canary.weight, canary.durationMs),
    );
    canaryOutcome = watched.outcome;
    aliasNow = { ...alias, revisionId: watched.revisionId };
  }

  const description = encodeAliasRecord(
    recordAfterPromote(record, alias?.version, plan.digest, plan.aliasDigest),
  );
  await timings.time("move alias", () =>
    pointAlias(
      lambda,
      { functionName, alias: aliasName, version, description, weights: {} },
      aliasNow,
      sleep,
    ),
  );
  return { golden, canaryOutcome };
}

/** The failure, with what happened to the new version's provisioned concurrency when it had some. */
async function releaseAfter(
  error: unknown,
  deps: PromoteDeps,
  functionName: string,
  version: string | undefined,
): Promise<unknown> {
  if (version === undefined) return error;
  try {
    await releaseVersion(deps.lambda, functionName, version, deps.clock);
    return error;
  } catch (releaseError) {
    return new ActionError(
      `${errorMessage(error)}; releasing version ${version}'s provisioned concurrency failed too (${errorMessage(releaseError)}): delete it by hand`,
      { cause: error },
    );
  }
}

/** After the switch: the old version's environments are released; a failure here is a warning, not a rollback. */
async function releaseOld(
  deps: PromoteDeps,
  functionName: string,
  warm: Extract<WarmPlan, { kind: "warm" }>,
): Promise<NonNullable<PromoteResult["provisioned"]>> {
  const result = { version: warm.version, count: warm.count };
  if (!warm.release) return result;
  const old = warm.release;
  try {
    await deps.timings.time("release old provisioned concurrency", () =>
      releaseVersion(deps.lambda, functionName, old, deps.clock),
    );
    return { ...result, released: old };
  } catch (error) {
    core.warning(
      `alias moved, but releasing version ${old}'s provisioned concurrency failed (${errorMessage(error)}); it is still billed: delete it by hand`,
    );
    return { ...result, kept: old };
  }
}

async function waitForUpdate(lambda: LambdaClient, functionName: string, maxWaitTime: number): Promise<void> {
  try {
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime }, { FunctionName: functionName });
  } catch (waitError) {
    const state = await lambda
      .send(new GetFunctionConfigurationCommand({ FunctionName: functionName }))
      .catch(() => undefined);
    const reason = state?.LastUpdateStatusReason ?? errorMessage(waitError).slice(0, 200);
    throw new ActionError(
      `Lambda did not apply the new image (${state?.LastUpdateStatus ?? "unknown"}): ${reason}`,
    );
  }
}

/**
 * A new version is Pending until Lambda has prepared it, and "Lambda does not invoke a function during
 * pending state" (https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html): the SDK's
 * published-version-active waiter polls GetFunctionConfiguration for that version until State is Active.
 */
async function waitForVersionActive(
  lambda: LambdaClient,
  functionName: string,
  version: string,
  maxWaitTime: number,
): Promise<void> {
  const input = { FunctionName: functionName, Qualifier: version };
  try {
    await waitUntilPublishedVersionActive({ client: lambda, maxWaitTime, minDelay: 1, maxDelay: 10 }, input);
  } catch (waitError) {
    const state = await lambda.send(new GetFunctionConfigurationCommand(input)).catch(() => undefined);
    const reason = state?.StateReason ?? errorMessage(waitError).slice(0, 200);
    throw new ActionError(
      `version ${version} did not become Active (${state?.State ?? "unknown"}): ${reason}`,
    );
  }
}

/** Shifts `weight` of the traffic to the new version, watches the alarms, and always leaves the alias whole. */
async function runCanary(
  request: PromoteRequest,
  deps: PromoteDeps,
  alias: AliasState,
  version: string,
  weight: number,
  durationMs: number,
): Promise<{ outcome: CanaryOutcome; revisionId: string | undefined }> {
  const sleep = (ms: number) => deps.clock.sleep(ms);
  const base = {
    functionName: request.functionName,
    alias: request.alias,
    version: alias.version,
    description: alias.description,
  };
  const revisionId = await pointAlias(deps.lambda, { ...base, weights: { [version]: weight } }, alias, sleep);
  deps.onCanaryStart?.(version);
  const restore = async () => {
    try {
      await pointAlias(deps.lambda, { ...base, weights: {} }, { ...alias, revisionId }, sleep);
    } catch (error) {
      throw new ActionError(
        `canary failed and moving alias "${request.alias}" back failed too (${errorMessage(error)}): ` +
          `it may still send ${weight * 100}% to version ${version}; run rollback`,
      );
    }
  };
  let outcome: CanaryOutcome;
  try {
    outcome = await watchCanary(deps.cloudwatch, request.alarmNames, durationMs, deps.clock);
  } catch (error) {
    await restore();
    throw new ActionError(
      `canary stopped (${errorMessage(error)}); alias "${request.alias}" moved back to version ${alias.version}`,
    );
  }
  if (outcome.kind === "aborted") {
    await restore();
    throw new ActionError(
      `canary: alarm ${outcome.firing.join(", ")} fired after ${Math.round(outcome.afterMs / 1000)} s; ` +
        `alias "${request.alias}" moved back to version ${alias.version}`,
    );
  }
  return { outcome, revisionId };
}
