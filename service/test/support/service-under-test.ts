/**
 * The service the handler tests exercise. On a developer machine: the TypeScript sources with the tiny
 * test model. Inside the image (image:test sets SERVICE_ENTRY=/var/task/app.mjs): the image's own
 * bundle, node_modules and model; the tests then assert nothing about which model it is.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LambdaHandler } from "../../src/handler.js";
import type { Service } from "../../src/service.js";
import "./stdout.js";
import { type ModelFiles, writeTinyModel } from "./tiny-model.js";

type Env = Record<string, string | undefined>;
interface ServiceModule {
  createService(env: Env): Promise<Service>;
  handler: LambdaHandler;
}

export const IN_IMAGE = process.env.SERVICE_ENTRY !== undefined;

let tinyModel: Promise<ModelFiles> | undefined;

/** The model the service under test loads: the image's, or the tiny test model. */
export async function modelFiles(): Promise<{ modelPath: string }> {
  if (IN_IMAGE) return { modelPath: join(process.env.LAMBDA_TASK_ROOT ?? "/var/task", "model.onnx") };
  tinyModel ??= writeTinyModel();
  return tinyModel;
}

async function baseEnv(): Promise<Env> {
  const { modelPath } = await modelFiles();
  return { ...process.env, MODEL_PATH: modelPath };
}

/** The entry module (app.ts or the image's app.mjs), imported with its module-scope model load. */
export async function entryModule(): Promise<ServiceModule> {
  if (IN_IMAGE)
    return (await import(/* @vite-ignore */ process.env.SERVICE_ENTRY as string)) as ServiceModule;
  process.env.MODEL_PATH = (await modelFiles()).modelPath;
  return await import("../../src/app.js");
}

export async function createTestService(overrides: Env = {}): Promise<Service> {
  const module = await entryModule();
  return module.createService({ ...(await baseEnv()), ...overrides });
}

/** A scratch folder for tampered copies of the model. */
export function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), "textcat-test-"));
}

export function writeScratch(dir: string, name: string, content: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Parses an HTTP handler result's JSON body. */
export function bodyOf(result: unknown): Record<string, unknown> {
  const body = (result as { body?: string }).body ?? "";
  return body === "" ? {} : (JSON.parse(body) as Record<string, unknown>);
}

export function statusOf(result: unknown): number {
  return (result as { statusCode: number }).statusCode;
}
