import type { ResolvedImage } from "./image-resolver.js";
import type { SandboxSpec } from "./sandbox.js";

export interface ImageConfig {
  EntryPoint?: string[];
  Command?: string[];
  WorkingDirectory?: string;
}

/** What a published version freezes: code plus the settings that shape how it runs. */
export interface FunctionSettings {
  description: string;
  timeoutSeconds: number;
  memorySize: number;
  environment: Record<string, string>;
  imageConfig: ImageConfig;
  role: string;
}

export interface VersionRecord {
  version: string;
  /** A published version is Pending for a moment after PublishVersion, then Active ($LATEST uses the function's). */
  state?: "Pending" | "Active";
  code: ResolvedImage;
  settings: FunctionSettings;
  lastModified: string;
  revisionId: string;
}

export interface AliasRecord {
  name: string;
  functionVersion: string;
  description: string;
  additionalVersionWeights: Record<string, number>;
  revisionId: string;
}

export interface FunctionRecord {
  name: string;
  arn: string;
  state: "Pending" | "Active" | "Failed";
  stateReason?: string;
  lastUpdateStatus: "Successful" | "InProgress" | "Failed";
  lastUpdateStatusReason?: string;
  latest: VersionRecord;
  versions: VersionRecord[];
  nextVersion: number;
  aliases: Map<string, AliasRecord>;
  tags: Record<string, string>;
}

/** Lambda's timestamp format: 2026-11-27T17:20:00.000+0000. */
export const lambdaTimestamp = (date = new Date()): string => date.toISOString().replace("Z", "+0000");

/** Lambda publishes no new version when code and configuration equal the last one (descriptions aside). */
export function sameDeployment(a: VersionRecord, b: VersionRecord): boolean {
  const comparable = (record: VersionRecord): string =>
    JSON.stringify({ ...record.settings, description: "" });
  return a.code.digest === b.code.digest && comparable(a) === comparable(b);
}

export function configuration(fn: FunctionRecord, record: VersionRecord): Record<string, unknown> {
  const isLatest = record.version === "$LATEST";
  const versionPending = record.state === "Pending";
  const { settings } = record;
  return {
    FunctionName: fn.name,
    FunctionArn: isLatest ? fn.arn : `${fn.arn}:${record.version}`,
    Role: settings.role,
    CodeSize: 0,
    Description: settings.description,
    Timeout: settings.timeoutSeconds,
    MemorySize: settings.memorySize,
    LastModified: record.lastModified,
    CodeSha256: record.code.digest.replace(/^sha256:/, ""),
    Version: record.version,
    Environment: { Variables: settings.environment },
    TracingConfig: { Mode: "PassThrough" },
    RevisionId: record.revisionId,
    State: isLatest ? fn.state : (record.state ?? "Active"),
    StateReason: isLatest ? fn.stateReason : versionPending ? "The function is being created." : undefined,
    StateReasonCode: !isLatest && versionPending ? "Creating" : undefined,
    LastUpdateStatus: isLatest ? fn.lastUpdateStatus : versionPending ? "InProgress" : "Successful",
    LastUpdateStatusReason: isLatest ? fn.lastUpdateStatusReason : undefined,
    PackageType: "Image",
    ImageConfigResponse: { ImageConfig: settings.imageConfig },
    Architectures: ["x86_64"],
    EphemeralStorage: { Size: 512 },
    LoggingConfig: { LogFormat: "Text", LogGroup: `/aws/lambda/${fn.name}` },
  };
}

export function aliasConfiguration(fn: FunctionRecord, alias: AliasRecord): Record<string, unknown> {
  const weights = alias.additionalVersionWeights;
  return {
    AliasArn: `${fn.arn}:${alias.name}`,
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    RoutingConfig: Object.keys(weights).length > 0 ? { AdditionalVersionWeights: weights } : undefined,
    RevisionId: alias.revisionId,
  };
}

/** How a version runs in a container; sandboxes are shared by every invocation with the same key. */
export function sandboxSpec(
  fn: FunctionRecord,
  record: VersionRecord,
  qualifier?: string | null,
): SandboxSpec {
  return {
    key: `${fn.name}:${record.version}:${record.revisionId}`,
    imageRef: record.code.resolvedImageUri,
    functionName: fn.name,
    functionArn: qualifier ? `${fn.arn}:${qualifier}` : fn.arn,
    version: record.version,
    memorySize: record.settings.memorySize,
    timeoutSeconds: record.settings.timeoutSeconds,
    environment: record.settings.environment,
    imageConfig: record.settings.imageConfig,
  };
}
