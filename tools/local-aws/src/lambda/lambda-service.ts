import { AwsError } from "../aws-error.js";
import type { RegistryClient } from "../registry-client.js";
import type { AccountContext } from "../ecr/ecr-service.js";
import {
  aliasConfiguration,
  configuration,
  lambdaTimestamp,
  sameDeployment,
  type AliasRecord,
  type FunctionRecord,
  type VersionRecord,
} from "./function-model.js";
import { resolveImage } from "./image-resolver.js";
import { ProvisionedConcurrency, type ProvisionedSandboxes } from "./provisioned-concurrency.js";
import { conflict, invalidValue, notFound, preconditionFailed } from "./lambda-errors.js";
import {
  ALIAS_NAME,
  DEFAULT_SETTINGS,
  FUNCTION_NAME,
  optionalString,
  routingWeights,
  settingsFrom,
} from "./lambda-input.js";

type Input = Record<string, unknown>;

export interface LambdaServiceOptions {
  /** How long LastUpdateStatus stays InProgress at least (the image is pulled meanwhile). */
  updateDelayMs: number;
  /**
   * How long a newly published version stays Pending. Lambda reports a new version's State and
   * "does not invoke a function during pending state" (https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html):
   * callers wait with the SDK's published-version-active waiter.
   */
  publishDelayMs: number;
  /** Makes the image available to run (docker pull); rejects with a reason on failure. */
  prepareImage: (imageRef: string) => Promise<void>;
  /** Stops warm sandboxes whose key starts with the prefix (their code or config changed). */
  retireSandboxes: (keyPrefix: string) => Promise<void>;
  /** Starts and stops the containers of provisioned concurrency. */
  provisionedSandboxes: ProvisionedSandboxes;
}

/** Lambda's control plane for image functions: functions, versions, aliases and their states. */
export class LambdaService {
  private readonly functions = new Map<string, FunctionRecord>();
  private readonly updates = new Map<string, Promise<void>>();
  readonly provisioned: ProvisionedConcurrency;

  constructor(
    private readonly registry: RegistryClient,
    private readonly account: AccountContext,
    private readonly options: LambdaServiceOptions,
  ) {
    this.provisioned = new ProvisionedConcurrency(options.provisionedSandboxes);
  }

  /** The published version a provisioned-concurrency call names (an alias stands for its primary version). */
  provisionableVersion(ref: string, query: URLSearchParams): { fn: FunctionRecord; record: VersionRecord } {
    const { qualifier } = this.lookup(ref, query);
    if (qualifier === undefined || qualifier === "" || qualifier === "$LATEST") {
      throw invalidValue(
        "Provisioned Concurrency Configs cannot be applied to unpublished function versions.",
      );
    }
    return this.lookupVersion(ref, query);
  }

  functionArn(name: string): string {
    return `arn:aws:lambda:${this.account.region}:${this.account.accountId}:function:${name}`;
  }

  async createFunction(input: Input): Promise<unknown> {
    const name = optionalString(input, "FunctionName") ?? "";
    if (!FUNCTION_NAME.test(name)) throw invalidValue(`FunctionName '${name}' is not valid.`);
    if (input.PackageType !== "Image") {
      throw invalidValue("This local stand-in supports PackageType Image only (the product deploys images).");
    }
    if (this.functions.has(name)) throw conflict(`Function already exist: ${name}`);
    const role = optionalString(input, "Role");
    if (!role) throw invalidValue("Role is required.");
    const code = await resolveImage(this.registry, (input.Code as Input | undefined)?.ImageUri);
    const fn: FunctionRecord = {
      name,
      arn: this.functionArn(name),
      state: "Pending",
      stateReason: "The function is being created.",
      lastUpdateStatus: "InProgress",
      latest: this.versionRecord("$LATEST", code, settingsFrom(input, DEFAULT_SETTINGS)),
      versions: [],
      nextVersion: 1,
      aliases: new Map(),
      tags: (input.Tags as Record<string, string> | undefined) ?? {},
    };
    this.functions.set(name, fn);
    this.startUpdate(fn);
    if (input.Publish === true) {
      await this.updates.get(name);
      return { status: 201, body: configuration(fn, this.publish(fn, "")) };
    }
    return { status: 201, body: configuration(fn, fn.latest) };
  }

  getFunction(ref: string, query: URLSearchParams): unknown {
    const { fn, record } = this.lookupVersion(ref, query);
    return {
      Configuration: configuration(fn, record),
      Code: {
        RepositoryType: "ECR",
        ImageUri: record.code.imageUri,
        ResolvedImageUri: record.code.resolvedImageUri,
      },
      Tags: fn.tags,
    };
  }

  getFunctionConfiguration(ref: string, query: URLSearchParams): unknown {
    const { fn, record } = this.lookupVersion(ref, query);
    return configuration(fn, record);
  }

  listFunctions(): unknown {
    return { Functions: [...this.functions.values()].map((fn) => configuration(fn, fn.latest)) };
  }

  async deleteFunction(ref: string, query: URLSearchParams): Promise<unknown> {
    const { fn, qualifier } = this.lookup(ref, query);
    if (qualifier !== undefined && qualifier !== "$LATEST") {
      const index = fn.versions.findIndex((version) => version.version === qualifier);
      if (index < 0) throw notFound(`Function not found: ${fn.arn}:${qualifier}`);
      const usedBy = [...fn.aliases.values()].find((alias) => this.aliasVersions(alias).includes(qualifier));
      if (usedBy)
        throw conflict(
          `Unable to delete version because the following aliases reference it: [${usedBy.name}]`,
        );
      fn.versions.splice(index, 1);
      await this.options.retireSandboxes(`${fn.name}:${qualifier}:`);
    } else {
      this.functions.delete(fn.name);
      await this.options.retireSandboxes(`${fn.name}:`);
    }
    return { status: 204 };
  }

  async updateFunctionCode(ref: string, input: Input): Promise<unknown> {
    const { fn } = this.lookup(ref);
    this.requireIdle(fn);
    this.checkRevision(input, fn.latest.revisionId, "GetFunction");
    const code = await resolveImage(this.registry, input.ImageUri);
    if (input.DryRun === true) return configuration(fn, { ...fn.latest, code });
    fn.latest = this.versionRecord("$LATEST", code, fn.latest.settings);
    this.startUpdate(fn);
    await this.options.retireSandboxes(`${fn.name}:$LATEST:`);
    if (input.Publish === true) {
      await this.updates.get(fn.name);
      return configuration(fn, this.publish(fn, ""));
    }
    return configuration(fn, fn.latest);
  }

  async updateFunctionConfiguration(ref: string, input: Input): Promise<unknown> {
    const { fn } = this.lookup(ref);
    this.requireIdle(fn);
    this.checkRevision(input, fn.latest.revisionId, "GetFunction");
    fn.latest = this.versionRecord("$LATEST", fn.latest.code, settingsFrom(input, fn.latest.settings));
    this.startUpdate(fn);
    await this.options.retireSandboxes(`${fn.name}:$LATEST:`);
    return configuration(fn, fn.latest);
  }

  publishVersion(ref: string, input: Input): unknown {
    const { fn } = this.lookup(ref);
    this.requireIdle(fn);
    this.checkRevision(input, fn.latest.revisionId, "GetFunction");
    const expectedSha = optionalString(input, "CodeSha256");
    const currentSha = fn.latest.code.digest.replace(/^sha256:/, "");
    if (expectedSha !== undefined && expectedSha !== currentSha) {
      throw invalidValue(
        `CodeSHA256 (${expectedSha}) is different from current CodeSHA256 in $LATEST (${currentSha}). Please try again with the CodeSHA256 in $LATEST.`,
      );
    }
    const record = this.publish(fn, optionalString(input, "Description") ?? "");
    return { status: 201, body: configuration(fn, record) };
  }

  listVersions(ref: string, query: URLSearchParams): unknown {
    const { fn } = this.lookup(ref);
    const all = [fn.latest, ...fn.versions].map((record) => configuration(fn, record));
    return { Versions: page(all, query).items, NextMarker: page(all, query).next };
  }

  createAlias(ref: string, input: Input): unknown {
    const { fn } = this.lookup(ref);
    const name = optionalString(input, "Name") ?? "";
    if (!ALIAS_NAME.test(name)) throw invalidValue(`Alias name '${name}' is not valid.`);
    if (fn.aliases.has(name)) throw conflict(`Alias already exists: ${fn.arn}:${name}`);
    const version = this.requireVersion(fn, optionalString(input, "FunctionVersion"));
    const alias: AliasRecord = {
      name,
      functionVersion: version,
      description: optionalString(input, "Description") ?? "",
      additionalVersionWeights: this.checkedWeights(fn, input, version) ?? {},
      revisionId: crypto.randomUUID(),
    };
    fn.aliases.set(name, alias);
    return { status: 201, body: aliasConfiguration(fn, alias) };
  }

  getAlias(ref: string, aliasName: string): unknown {
    const { fn } = this.lookup(ref);
    return aliasConfiguration(fn, this.requireAlias(fn, aliasName));
  }

  listAliases(ref: string, query: URLSearchParams): unknown {
    const { fn } = this.lookup(ref);
    const all = [...fn.aliases.values()].map((alias) => aliasConfiguration(fn, alias));
    return { Aliases: page(all, query).items, NextMarker: page(all, query).next };
  }

  updateAlias(ref: string, aliasName: string, input: Input): unknown {
    const { fn } = this.lookup(ref);
    const alias = this.requireAlias(fn, aliasName);
    this.checkRevision(input, alias.revisionId, "GetAlias");
    const requested = optionalString(input, "FunctionVersion");
    const version = requested === undefined ? alias.functionVersion : this.requireVersion(fn, requested);
    const weights = this.checkedWeights(fn, input, version);
    const updated: AliasRecord = {
      ...alias,
      functionVersion: version,
      description: optionalString(input, "Description") ?? alias.description,
      additionalVersionWeights: weights ?? alias.additionalVersionWeights,
      revisionId: crypto.randomUUID(),
    };
    if (updated.additionalVersionWeights[version] !== undefined) {
      throw invalidValue(`Primary version ${version} cannot also be an additional version in RoutingConfig.`);
    }
    fn.aliases.set(alias.name, updated);
    return aliasConfiguration(fn, updated);
  }

  deleteAlias(ref: string, aliasName: string): unknown {
    const { fn } = this.lookup(ref);
    this.requireAlias(fn, aliasName);
    fn.aliases.delete(aliasName);
    return { status: 204 };
  }

  /** The version an invocation runs: an alias picks between its versions by weight, like Lambda. */
  resolveInvocation(ref: string, query: URLSearchParams): { fn: FunctionRecord; record: VersionRecord } {
    const { fn, qualifier } = this.lookup(ref, query);
    if (fn.state !== "Active") {
      throw conflict(
        `The operation cannot be performed at this time. The function is currently in the following state: ${fn.state}`,
      );
    }
    if (qualifier === undefined || qualifier === "$LATEST" || /^\d+$/.test(qualifier)) {
      return { fn, record: requireActive(this.versionOf(fn, qualifier)) };
    }
    const alias = this.requireAlias(fn, qualifier, "Function not found");
    let chosen = alias.functionVersion;
    let roll = Math.random();
    for (const [version, weight] of Object.entries(alias.additionalVersionWeights)) {
      if (roll < weight) {
        chosen = version;
        break;
      }
      roll -= weight;
    }
    return { fn, record: requireActive(this.versionOf(fn, chosen)) };
  }

  private publish(fn: FunctionRecord, description: string): VersionRecord {
    const last = fn.versions.at(-1);
    if (last && sameDeployment(last, fn.latest)) return last;
    const record: VersionRecord = {
      ...fn.latest,
      version: String(fn.nextVersion++),
      settings: { ...fn.latest.settings, description: description || fn.latest.settings.description },
      lastModified: lambdaTimestamp(),
      revisionId: crypto.randomUUID(),
      state: "Pending",
    };
    fn.versions.push(record);
    setTimeout(() => (record.state = "Active"), this.options.publishDelayMs).unref();
    return record;
  }

  private startUpdate(fn: FunctionRecord): void {
    fn.lastUpdateStatus = "InProgress";
    fn.lastUpdateStatusReason = undefined;
    const minimumDelay = new Promise((resolve) => setTimeout(resolve, this.options.updateDelayMs));
    const work = Promise.all([this.options.prepareImage(fn.latest.code.resolvedImageUri), minimumDelay])
      .then(() => {
        fn.state = "Active";
        fn.stateReason = undefined;
        fn.lastUpdateStatus = "Successful";
      })
      .catch((error: unknown) => {
        const reason = `Lambda could not prepare image ${fn.latest.code.resolvedImageUri}: ${String(error)}`;
        if (fn.state === "Pending") Object.assign(fn, { state: "Failed", stateReason: reason });
        fn.lastUpdateStatus = "Failed";
        fn.lastUpdateStatusReason = reason;
      })
      .finally(() => {
        if (this.updates.get(fn.name) === work) this.updates.delete(fn.name);
      });
    this.updates.set(fn.name, work);
  }

  private requireIdle(fn: FunctionRecord): void {
    if (fn.lastUpdateStatus === "InProgress" || fn.state === "Pending") {
      throw conflict(
        `The operation cannot be performed at this time. An update is in progress for resource: ${fn.arn}`,
      );
    }
  }

  private checkRevision(input: Input, current: string, api: "GetFunction" | "GetAlias"): void {
    const expected = optionalString(input, "RevisionId");
    if (expected !== undefined && expected !== current) throw preconditionFailed(api);
  }

  private checkedWeights(
    fn: FunctionRecord,
    input: Input,
    primary: string,
  ): Record<string, number> | undefined {
    const weights = routingWeights(input, primary);
    for (const version of Object.keys(weights ?? {})) this.requireVersion(fn, version);
    return weights;
  }

  private versionRecord(
    version: string,
    code: VersionRecord["code"],
    settings: VersionRecord["settings"],
  ): VersionRecord {
    return { version, code, settings, lastModified: lambdaTimestamp(), revisionId: crypto.randomUUID() };
  }

  private lookup(
    ref: string,
    query?: URLSearchParams,
  ): { fn: FunctionRecord; qualifier: string | undefined } {
    const parsed = parseFunctionRef(ref);
    const fn = this.functions.get(parsed.name);
    if (!fn) throw notFound(`Function not found: ${this.functionArn(parsed.name)}`);
    const qualifier = query?.get("Qualifier") ?? parsed.qualifier;
    if (
      parsed.qualifier !== undefined &&
      query?.get("Qualifier") &&
      parsed.qualifier !== query.get("Qualifier")
    ) {
      throw invalidValue(
        "The derived qualifier from the function name does not match the specified qualifier.",
      );
    }
    return { fn, qualifier };
  }

  private lookupVersion(ref: string, query: URLSearchParams): { fn: FunctionRecord; record: VersionRecord } {
    const { fn, qualifier } = this.lookup(ref, query);
    if (qualifier !== undefined && !/^\d+$/.test(qualifier) && qualifier !== "$LATEST") {
      return {
        fn,
        record: this.versionOf(fn, this.requireAlias(fn, qualifier, "Function not found").functionVersion),
      };
    }
    return { fn, record: this.versionOf(fn, qualifier) };
  }

  private versionOf(fn: FunctionRecord, version: string | undefined): VersionRecord {
    if (version === undefined || version === "$LATEST") return fn.latest;
    const record = fn.versions.find((candidate) => candidate.version === version);
    if (!record) throw notFound(`Function not found: ${fn.arn}:${version}`);
    return record;
  }

  private requireVersion(fn: FunctionRecord, version: string | undefined): string {
    if (version === undefined) throw invalidValue("FunctionVersion is required.");
    return this.versionOf(fn, version).version;
  }

  private requireAlias(fn: FunctionRecord, name: string, prefix = "Alias not found"): AliasRecord {
    const alias = fn.aliases.get(name);
    if (!alias) throw notFound(`${prefix}: ${fn.arn}:${name}`);
    return alias;
  }

  private aliasVersions(alias: AliasRecord): string[] {
    return [alias.functionVersion, ...Object.keys(alias.additionalVersionWeights)];
  }
}

function requireActive(record: VersionRecord): VersionRecord {
  if (record.state === "Pending") {
    throw conflict(
      "The operation cannot be performed at this time. The function is currently in the following state: Pending",
    );
  }
  return record;
}

/** Accepts a name, name:qualifier, a partial ARN (account:function:name) or a full ARN. */
export function parseFunctionRef(ref: string): { name: string; qualifier: string | undefined } {
  const parts = ref.split(":");
  let nameAndQualifier: string[];
  if (parts[0] === "arn") nameAndQualifier = parts.slice(6);
  else if (parts[1] === "function") nameAndQualifier = parts.slice(2);
  else nameAndQualifier = parts;
  const [name = "", qualifier, ...extra] = nameAndQualifier;
  if (!FUNCTION_NAME.test(name) || extra.length > 0) {
    throw new AwsError(
      "ValidationException",
      `1 validation error detected: Value '${ref}' at 'functionName' failed to satisfy constraint`,
    );
  }
  return { name, qualifier };
}

function page<T>(items: T[], query: URLSearchParams): { items: T[]; next: string | undefined } {
  const start = Number(query.get("Marker") ?? "0");
  const max = Number(query.get("MaxItems") ?? "50");
  if (!Number.isInteger(start) || start < 0 || !Number.isInteger(max) || max < 1) {
    throw invalidValue("Marker and MaxItems must be non-negative integers.");
  }
  const next = start + max < items.length ? String(start + max) : undefined;
  return { items: items.slice(start, start + max), next };
}
