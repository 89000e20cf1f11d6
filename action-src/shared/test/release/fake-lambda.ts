/**
 * Test helper: a small stateful Lambda behind aws-sdk-client-mock, so promote and rollback tests can
 * assert where the alias ends up, not only which calls were made. Invoke answers come from
 * `answer(image, request)`, so a test decides how each image behaves.
 */
import {
  CreateAliasCommand,
  DeleteProvisionedConcurrencyConfigCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetProvisionedConcurrencyConfigCommand,
  InvokeCommand,
  LambdaClient,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  PutProvisionedConcurrencyConfigCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
} from "@aws-sdk/client-lambda";
import type { MetadataBearer } from "@smithy/types";
import { mockClient, type AwsStub } from "aws-sdk-client-mock";

export const REPO = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/textcat";
export const digestOf = (char: string) => `sha256:${char.repeat(64)}`;
export const OLD_DIGEST = digestOf("a");
export const NEW_DIGEST = digestOf("b");

export function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}

export interface FakeAlias {
  version: string;
  description: string;
  revisionId: string;
  weights: Record<string, number>;
}

export interface FakeFunctionState {
  name: string;
  latestImage: string;
  updateStatus: "Successful" | "Failed";
  updateFailure?: string;
  versions: Map<string, { image: string; description: string; pendingPolls?: number }>;
  /**
   * How many GetFunctionConfiguration polls a newly published version stays Pending; Invoke of a
   * Pending version fails with ResourceConflictException, as Lambda does.
   */
  publishPendingPolls: number;
  alias?: FakeAlias;
  aliasName: string;
  answer: (image: string, request: unknown) => { payload: unknown; functionError?: string };
  /** Provisioned concurrency per version; see provisionedConcurrency() below. */
  provisioned?: Map<string, FakeProvisioned>;
}

/** Answers {"text"} like the service: the label is the text itself, so a golden case passes when text = label. */
export function echoAnswer(_image: string, request: unknown) {
  const text = (request as { text?: unknown }).text;
  return { payload: { label: text, response: text } };
}

export function fakeFunction(overrides: Partial<FakeFunctionState> = {}): FakeFunctionState {
  return {
    name: "textcat",
    latestImage: `${REPO}@${OLD_DIGEST}`,
    updateStatus: "Successful",
    versions: new Map([
      ["1", { image: `${REPO}@${digestOf("1")}`, description: "" }],
      ["2", { image: `${REPO}@${digestOf("2")}`, description: "" }],
      ["3", { image: `${REPO}@${OLD_DIGEST}`, description: "" }],
    ]),
    alias: {
      version: "3",
      description: JSON.stringify({ digest: OLD_DIGEST, previous: "2", history: ["1"] }),
      revisionId: "rev-1",
      weights: {},
    },
    aliasName: "live",
    answer: echoAnswer,
    publishPendingPolls: 0,
    ...overrides,
  };
}

export function mockLambda(state: FakeFunctionState) {
  const lambda = mockClient(LambdaClient);
  let revision = 1;
  const checkName = (name: string | undefined) => {
    if (name !== state.name) throw awsError("ResourceNotFoundException", `Function not found: ${name}`);
  };
  const versionOf = (qualifier: string | undefined): string => {
    if (!qualifier || qualifier === "$LATEST") return "$LATEST";
    if (qualifier === state.aliasName) {
      if (!state.alias) throw awsError("ResourceNotFoundException", "Alias not found");
      return state.alias.version;
    }
    if (!state.versions.has(qualifier))
      throw awsError("ResourceNotFoundException", `Version not found: ${qualifier}`);
    return qualifier;
  };
  const imageOf = (version: string) =>
    version === "$LATEST" ? state.latestImage : state.versions.get(version)!.image;

  lambda.on(GetFunctionCommand).callsFake(async (input) => {
    checkName(input.FunctionName);
    const version = versionOf(input.Qualifier);
    const image = imageOf(version);
    return {
      Configuration: {
        Version: version,
        Description: state.versions.get(version)?.description ?? "",
        LastUpdateStatus: version === "$LATEST" ? state.updateStatus : "Successful",
      },
      Code: { ImageUri: image, ResolvedImageUri: image },
    };
  });
  lambda.on(GetFunctionConfigurationCommand).callsFake(async (input) => {
    checkName(input.FunctionName);
    const version = versionOf(input.Qualifier);
    const published = state.versions.get(version);
    if (published?.pendingPolls) {
      published.pendingPolls--;
      return { Version: version, State: "Pending", LastUpdateStatus: "InProgress" };
    }
    return {
      Version: version,
      State: "Active",
      LastUpdateStatus: version === "$LATEST" ? state.updateStatus : "Successful",
      LastUpdateStatusReason: version === "$LATEST" ? state.updateFailure : undefined,
    };
  });
  lambda.on(GetAliasCommand).callsFake(async (input) => {
    checkName(input.FunctionName);
    if (!state.alias || input.Name !== state.aliasName)
      throw awsError("ResourceNotFoundException", "Alias not found");
    const { version, description, revisionId, weights } = state.alias;
    return {
      FunctionVersion: version,
      Description: description,
      RevisionId: revisionId,
      RoutingConfig: { AdditionalVersionWeights: weights },
    };
  });
  lambda.on(UpdateFunctionCodeCommand).callsFake(async (input) => {
    checkName(input.FunctionName);
    state.latestImage = input.ImageUri!;
    return { CodeSha256: input.ImageUri!.split("sha256:")[1], LastUpdateStatus: "InProgress" };
  });
  lambda.on(PublishVersionCommand).callsFake(async (input) => {
    checkName(input.FunctionName);
    if (input.CodeSha256 && !state.latestImage.endsWith(input.CodeSha256)) {
      throw awsError("PreconditionFailedException", "CodeSha256 does not match");
    }
    const version = String(Math.max(0, ...[...state.versions.keys()].map(Number)) + 1);
    state.versions.set(version, {
      image: state.latestImage,
      description: input.Description ?? "",
      pendingPolls: state.publishPendingPolls,
    });
    return { Version: version, State: state.publishPendingPolls > 0 ? "Pending" : "Active" };
  });
  lambda.on(InvokeCommand).callsFake(async (input) => {
    checkName(input.FunctionName);
    const request: unknown = JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array));
    const version = versionOf(input.Qualifier);
    if (state.versions.get(version)?.pendingPolls) {
      throw awsError(
        "ResourceConflictException",
        "The operation cannot be performed at this time. The function is currently in the following state: Pending",
      );
    }
    const reply = state.answer(imageOf(version), request);
    return {
      StatusCode: 200,
      FunctionError: reply.functionError,
      Payload: new TextEncoder().encode(JSON.stringify(reply.payload)),
    };
  });
  lambda.on(UpdateAliasCommand).callsFake(async (input) => {
    checkName(input.FunctionName);
    if (!state.alias) throw awsError("ResourceNotFoundException", "Alias not found");
    if (input.RevisionId && input.RevisionId !== state.alias.revisionId) {
      throw awsError(
        "PreconditionFailedException",
        "The RevisionId provided does not match the latest RevisionId",
      );
    }
    versionOf(input.FunctionVersion);
    state.alias = {
      version: input.FunctionVersion ?? state.alias.version,
      description: input.Description ?? state.alias.description,
      revisionId: `rev-${++revision}`,
      weights: input.RoutingConfig?.AdditionalVersionWeights ?? state.alias.weights,
    };
    return { RevisionId: state.alias.revisionId };
  });
  lambda.on(CreateAliasCommand).callsFake(async (input) => {
    checkName(input.FunctionName);
    if (state.alias) throw awsError("ResourceConflictException", "Alias already exists");
    versionOf(input.FunctionVersion);
    state.alias = {
      version: input.FunctionVersion!,
      description: input.Description ?? "",
      revisionId: `rev-${++revision}`,
      weights: input.RoutingConfig?.AdditionalVersionWeights ?? {},
    };
    return { RevisionId: state.alias.revisionId };
  });
  lambda.on(ListVersionsByFunctionCommand).callsFake(async (input) => {
    checkName(input.FunctionName);
    return {
      Versions: [{ Version: "$LATEST" }, ...[...state.versions.keys()].map((Version) => ({ Version }))],
    };
  });
  mockProvisionedConcurrency(lambda, state, checkName, versionOf);
  return lambda;
}

export interface FakeProvisioned {
  count: number;
  /** GetProvisionedConcurrencyConfig answers IN_PROGRESS this many times before READY (or FAILED). */
  pollsLeft: number;
  failWith?: string;
}

/** Put / Get / DeleteProvisionedConcurrencyConfig on published versions, IN_PROGRESS → READY | FAILED. */
function mockProvisionedConcurrency(
  lambda: AwsStub<object, MetadataBearer, unknown>,
  state: FakeFunctionState,
  checkName: (name: string | undefined) => void,
  versionOf: (qualifier: string | undefined) => string,
): void {
  const configs = () => (state.provisioned ??= new Map());
  const status = (config: FakeProvisioned) => {
    if (config.pollsLeft > 0) return { Status: "IN_PROGRESS" };
    return config.failWith
      ? { Status: "FAILED", StatusReason: config.failWith }
      : { Status: "READY", AllocatedProvisionedConcurrentExecutions: config.count };
  };
  lambda.on(PutProvisionedConcurrencyConfigCommand).callsFake(async (input) => {
    checkName(input.FunctionName);
    const version = versionOf(input.Qualifier);
    const existing = configs().get(version);
    const config = { pollsLeft: 2, ...existing, count: input.ProvisionedConcurrentExecutions! };
    configs().set(version, config);
    return { RequestedProvisionedConcurrentExecutions: config.count, Status: "IN_PROGRESS" };
  });
  lambda.on(GetProvisionedConcurrencyConfigCommand).callsFake(async (input) => {
    checkName(input.FunctionName);
    const config = configs().get(versionOf(input.Qualifier));
    if (!config) throw awsError("ProvisionedConcurrencyConfigNotFoundException", "No config");
    const reply = status(config);
    config.pollsLeft--;
    return { RequestedProvisionedConcurrentExecutions: config.count, ...reply };
  });
  lambda.on(DeleteProvisionedConcurrencyConfigCommand).callsFake(async (input) => {
    checkName(input.FunctionName);
    const version = versionOf(input.Qualifier);
    if (!configs().delete(version))
      throw awsError("ProvisionedConcurrencyConfigNotFoundException", "No config");
    return {};
  });
}

/** The names of the Lambda commands sent, in order (e.g. "UpdateAlias"). */
export function commandNames(lambda: ReturnType<typeof mockClient>): string[] {
  return lambda
    .calls()
    .map((call) =>
      (call.args[0] as { constructor: { name: string } }).constructor.name.replace(/Command$/, ""),
    );
}
