/** The service's settings, read once from the environment; a bad value stops the start with a clear message. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type CorsPolicy, parseAllowedOrigins } from "./cors.js";
import { DEFAULT_LIMITS, type Limits } from "./limits.js";
import type { ModelSource } from "./model.js";

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

type Env = Record<string, string | undefined>;

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

/** Next to the bundled handler (`/var/task`) unless MODEL_PATH says otherwise. */
function defaultModelPath(env: Env): string {
  const root = env.LAMBDA_TASK_ROOT ?? dirname(fileURLToPath(import.meta.url));
  return join(root, "model.onnx");
}

export function readConfig(env: Env = process.env): ServiceConfig {
  const modelPath = env.MODEL_PATH?.trim() || defaultModelPath(env);
  const limits: Limits = {
    maxBodyBytes: positiveInteger(env, "MAX_BODY_BYTES", DEFAULT_LIMITS.maxBodyBytes),
    maxBatchSize: positiveInteger(env, "MAX_BATCH_SIZE", DEFAULT_LIMITS.maxBatchSize),
    maxTextChars: positiveInteger(env, "MAX_TEXT_CHARS", DEFAULT_LIMITS.maxTextChars),
    defaultTopK: positiveInteger(env, "DEFAULT_TOP_K", DEFAULT_LIMITS.defaultTopK),
  };
  return {
    model: {
      path: modelPath,
      expectedSha256: expectedSha256(env, modelPath),
      intraOpThreads: positiveInteger(env, "ORT_INTRA_OP_THREADS", 1),
    },
    limits,
    cors: {
      allowedOrigins: parseAllowedOrigins(env.ALLOWED_ORIGINS),
      maxAgeSeconds: positiveInteger(env, "CORS_MAX_AGE_SECONDS", 86_400),
    },
    logRequestText: flag(env, "LOG_REQUEST_TEXT"),
  };
}
