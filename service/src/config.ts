/** The service's settings, read once from the environment; a bad value stops the start with a clear message. */
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type CorsPolicy, parseAllowedOrigins } from "./cors.js";
import { DEFAULT_LIMITS, type Limits } from "./limits.js";
import type { ConvertedModel, ModelSource } from "./model.js";

export class ConfigError extends Error {
  override name = "ConfigError";
}

export interface ServiceConfig {
  model: ModelSource;
  limits: Limits;
  cors: CorsPolicy;
  /** Debug only: put request texts into the logs. */
  logRequestText: boolean;
}

/** The process environment, or a test's stand-in for it. */
export type Env = Record<string, string | undefined>;

function positiveInteger(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new ConfigError(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

function flag(env: Env, name: string): boolean {
  return ["1", "true", "yes"].includes((env[name] ?? "").trim().toLowerCase());
}

/** `model.onnx` → `model.sha256`; the file holds the hex digest (optionally followed by a file name). */
export function recordedShaPath(modelPath: string): string {
  return modelPath.replace(/\.onnx$/, "") + ".sha256";
}

function expectedSha256(env: Env, modelPath: string): string | undefined {
  const fromEnv = env.MODEL_SHA256?.trim();
  if (fromEnv) return fromEnv;
  const shaFile = recordedShaPath(modelPath);
  if (existsSync(shaFile)) return readFileSync(shaFile, "utf8").trim().split(/\s+/)[0];
  if (flag(env, "ALLOW_UNVERIFIED_MODEL")) return undefined;
  throw new ConfigError(
    `no recorded SHA-256 for ${modelPath}: set MODEL_SHA256, write ${shaFile}, ` +
      "or set ALLOW_UNVERIFIED_MODEL=true for a local run",
  );
}

/** `model.onnx` → `model.ort`, what service/build/convert-to-ort.mjs writes in the image build. */
export function ortPathFor(modelPath: string): string {
  return modelPath.replace(/\.onnx$/, "") + ".ort";
}

/**
 * The .ort's record (`model.ort.sha256`, sha256sum format): its own digest, and the digest of the ONNX
 * model it was converted from. Without a complete record the .ort is not served: the start fails.
 */
function convertedModel(ortPath: string, modelPath: string): ConvertedModel {
  const recordPath = `${ortPath}.sha256`;
  const digests = new Map<string, string>();
  if (existsSync(recordPath)) {
    for (const line of readFileSync(recordPath, "utf8").split("\n")) {
      const [digest, name] = line.trim().split(/\s+/);
      if (digest && name) digests.set(name, digest);
    }
  }
  const sha256 = digests.get(basename(ortPath));
  const convertedFromSha256 = digests.get(basename(modelPath));
  if (sha256 === undefined || convertedFromSha256 === undefined) {
    throw new ConfigError(
      `${ortPath} has no complete recorded SHA-256: ${recordPath} must name the digests of ` +
        `${basename(ortPath)} and of the ${basename(modelPath)} it was converted from`,
    );
  }
  return { sha256, convertedFromSha256 };
}

/** Next to the bundled handler (`/var/task`) unless MODEL_PATH says otherwise. */
function defaultModelPath(env: Env): string {
  const root = env.LAMBDA_TASK_ROOT ?? dirname(fileURLToPath(import.meta.url));
  return join(root, "model.onnx");
}

export function readConfig(env: Env = process.env): ServiceConfig {
  const modelPath = env.MODEL_PATH?.trim() || defaultModelPath(env);
  // The image holds the model converted to ORT format (model.onnx itself stays out of it).
  const ortPath = ortPathFor(modelPath);
  const served = modelPath.endsWith(".onnx") && existsSync(ortPath);
  const limits: Limits = {
    maxBodyBytes: positiveInteger(env, "MAX_BODY_BYTES", DEFAULT_LIMITS.maxBodyBytes),
    maxBatchSize: positiveInteger(env, "MAX_BATCH_SIZE", DEFAULT_LIMITS.maxBatchSize),
    maxTextChars: positiveInteger(env, "MAX_TEXT_CHARS", DEFAULT_LIMITS.maxTextChars),
    defaultTopK: positiveInteger(env, "DEFAULT_TOP_K", DEFAULT_LIMITS.defaultTopK),
  };
  return {
    model: {
      path: served ? ortPath : modelPath,
      expectedSha256: expectedSha256(env, modelPath),
      intraOpThreads: positiveInteger(env, "ORT_INTRA_OP_THREADS", 1),
      ...(served ? { converted: convertedModel(ortPath, modelPath) } : {}),
    },
    limits,
    cors: {
      allowedOrigins: parseAllowedOrigins(env.ALLOWED_ORIGINS),
      maxAgeSeconds: positiveInteger(env, "CORS_MAX_AGE_SECONDS", 86_400),
    },
    logRequestText: flag(env, "LOG_REQUEST_TEXT"),
  };
}
