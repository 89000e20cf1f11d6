/** The Lambda calls promote and rollback share: reading an alias and a version's image, invoking, moving. */
import {
  CreateAliasCommand,
  GetAliasCommand,
  GetFunctionCommand,
  InvokeCommand,
  UpdateAliasCommand,
  type LambdaClient,
} from "@aws-sdk/client-lambda";
import { awsErrorName } from "../aws.js";
import { ActionError } from "../errors.js";
import { retryAndBackoff } from "@textcat/kit/retry";
import type { GoldenCase } from "@textcat/contract";
import type { Answer, GoldenResult } from "./golden.js";
import { checkGoldenAnswers, readAnswer } from "./golden.js";

export interface AliasState {
  version: string;
  description: string;
  revisionId: string | undefined;
  /** Versions that get part of the traffic besides `version` (a canary in progress), by weight. */
  weights: Record<string, number>;
}

/** The alias, or undefined when the function has no alias of that name yet (a first deploy). */
export async function readAlias(
  lambda: LambdaClient,
  functionName: string,
  alias: string,
): Promise<AliasState | undefined> {
  try {
    const found = await lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: alias }));
    if (!found.FunctionVersion) throw new ActionError(`alias "${alias}" has no function version`);
    return {
      version: found.FunctionVersion,
      description: found.Description ?? "",
      revisionId: found.RevisionId,
      weights: found.RoutingConfig?.AdditionalVersionWeights ?? {},
    };
  } catch (error) {
    if (awsErrorName(error) === "ResourceNotFoundException") return undefined;
    throw error;
  }
}

export interface VersionImage {
  version: string;
  /** The image the version runs, pinned by digest when Lambda reports it. */
  imageUri: string;
  /** `sha256:…`, or "" when Lambda reports no digest (e.g. not an image function). */
  digest: string;
  /** The version's Description (promote's record of digest, commit and model). */
  description: string;
}

const DIGEST_IN_URI = /@(sha256:[0-9a-f]{64})$/;

export function digestOfImageUri(imageUri: string): string {
  return DIGEST_IN_URI.exec(imageUri)?.[1] ?? "";
}

/** The image behind a version or alias (`qualifier`); `$LATEST` when no qualifier is given. */
export async function readVersionImage(
  lambda: LambdaClient,
  functionName: string,
  qualifier?: string,
): Promise<VersionImage> {
  try {
    const found = await lambda.send(
      new GetFunctionCommand({ FunctionName: functionName, Qualifier: qualifier }),
    );
    const imageUri = found.Code?.ResolvedImageUri ?? found.Code?.ImageUri ?? "";
    return {
      version: found.Configuration?.Version ?? qualifier ?? "$LATEST",
      imageUri,
      digest: digestOfImageUri(imageUri),
      description: found.Configuration?.Description ?? "",
    };
  } catch (error) {
    if (awsErrorName(error) === "ResourceNotFoundException") {
      const what = qualifier
        ? `version "${qualifier}" of function "${functionName}"`
        : `function "${functionName}"`;
      throw new ActionError(`${what} does not exist (check function-name and aws-region)`);
    }
    throw error;
  }
}

/** Retries while Lambda answers that another update of the function is still in progress. */
export function retryWhileBusy<T>(call: () => Promise<T>, sleep: (ms: number) => Promise<void>): Promise<T> {
  return retryAndBackoff(call, {
    attempts: 7,
    baseDelayMs: 500,
    sleep,
    isRetryable: (error) =>
      ["ResourceConflictException", "TooManyRequestsException"].includes(awsErrorName(error)),
  });
}

export async function invokeOnce(
  lambda: LambdaClient,
  functionName: string,
  qualifier: string,
  request: unknown,
): Promise<Answer> {
  const reply = await lambda.send(
    new InvokeCommand({
      FunctionName: functionName,
      Qualifier: qualifier,
      Payload: new TextEncoder().encode(JSON.stringify(request)),
    }),
  );
  const text = reply.Payload ? new TextDecoder().decode(reply.Payload) : "";
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    payload = text;
  }
  if (reply.FunctionError) {
    const fields = (typeof payload === "object" && payload !== null ? payload : {}) as Record<
      string,
      unknown
    >;
    const message = typeof fields.errorMessage === "string" ? fields.errorMessage : text.slice(0, 200);
    return { error: `function error (${reply.FunctionError}): ${message}` };
  }
  return readAnswer(payload);
}

/** Sends the golden requests one by one (one warm instance answers them) and checks the answers. */
export async function runGoldenRequests(
  lambda: LambdaClient,
  functionName: string,
  qualifier: string,
  cases: readonly GoldenCase[],
  expectedModelSha256 = "",
): Promise<GoldenResult> {
  const answers: Answer[] = [];
  for (const goldenCase of cases) {
    answers.push(await invokeOnce(lambda, functionName, qualifier, goldenCase.request));
  }
  return checkGoldenAnswers(cases, answers, expectedModelSha256);
}

export interface AliasTarget {
  functionName: string;
  alias: string;
  version: string;
  description: string;
  /** Traffic shares (0–1) for other versions; {} clears any canary routing. */
  weights: Record<string, number>;
}

/**
 * Points the alias at a version: UpdateAlias guarded by the revision read before (so a concurrent
 * deploy makes this fail instead of being overwritten), or CreateAlias when there is none yet.
 * Returns the alias's new revision id.
 */
export async function pointAlias(
  lambda: LambdaClient,
  target: AliasTarget,
  current: AliasState | undefined,
  sleep: (ms: number) => Promise<void>,
): Promise<string | undefined> {
  const fields = {
    FunctionName: target.functionName,
    Name: target.alias,
    FunctionVersion: target.version,
    Description: target.description,
    RoutingConfig: { AdditionalVersionWeights: target.weights },
  };
  try {
    const result = current
      ? await retryWhileBusy(
          () => lambda.send(new UpdateAliasCommand({ ...fields, RevisionId: current.revisionId })),
          sleep,
        )
      : await lambda.send(new CreateAliasCommand(fields));
    return result.RevisionId;
  } catch (error) {
    const name = awsErrorName(error);
    if (name === "PreconditionFailedException" || (name === "ResourceConflictException" && !current)) {
      throw new ActionError(
        `alias "${target.alias}" was changed by someone else meanwhile (another deploy?); not moved`,
      );
    }
    throw error;
  }
}
