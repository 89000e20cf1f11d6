import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";

import { sha256OfFile } from "./digest.js";
import { DownloadError } from "./errors.js";
import { errorMessage } from "@textcat/kit/errors";
import { retryAndBackoff, type Sleep } from "@textcat/kit/retry";

/** The 20 Newsgroups "bydate" archive as published on figshare (file 5975967). */
export const CANONICAL_ARCHIVE = {
  url: "https://ndownloader.figshare.com/files/5975967",
  sha256: "8f1b2514ca22a5ade8fbb9cfa5727df95fa587f4c87b786e15c759fa66d95610",
  fileName: "20news-bydate.tar.gz",
} as const;

export interface EnsureArchiveOptions {
  url: string;
  sha256: string;
  cacheDir: string;
  /** Name of the verified file inside cacheDir. */
  fileName?: string;
  fetchImpl?: typeof fetch;
  sleep?: Sleep;
  /** Total download tries (default 4). */
  attempts?: number;
  /** First retry delay; doubles each time (default 1 s). */
  baseDelayMs?: number;
  /** Give up on an attempt when no bytes arrive for this long (default 30 s). */
  idleTimeoutMs?: number;
  onProgress?: (message: string) => void;
}

/**
 * Returns the path of a verified copy of the archive in cacheDir, downloading it if needed. A download
 * goes to a temporary file that is renamed into place only once complete and verified, so a partial
 * or corrupt file is never used; a cached file is re-verified on every call.
 */
export async function ensureCanonicalArchive(options: EnsureArchiveOptions): Promise<string> {
  const { url, cacheDir, onProgress = () => {} } = options;
  const expected = options.sha256.toLowerCase();
  const target = join(cacheDir, options.fileName ?? CANONICAL_ARCHIVE.fileName);
  if (await isFile(target)) {
    const actual = await sha256OfFile(target);
    if (actual === expected) {
      onProgress(`using cached ${target} (SHA-256 verified)`);
      return target;
    }
    onProgress(
      `cached ${target} has SHA-256 ${actual}, expected ${expected}: deleting it and downloading again`,
    );
    await rm(target, { force: true });
  }
  try {
    await mkdir(cacheDir, { recursive: true });
  } catch (error) {
    throw new DownloadError(`${cacheDir}: cannot create the cache folder (${errorMessage(error)})`);
  }
  const attempts = options.attempts ?? 4;
  try {
    await retryAndBackoff((attempt) => downloadVerified(options, expected, target, attempt, attempts), {
      attempts,
      baseDelayMs: options.baseDelayMs ?? 1000,
      maxDelayMs: 30_000,
      sleep: options.sleep,
      isRetryable: (error) => !(error instanceof DownloadError),
      onRetry: (error, attempt, delayMs) =>
        onProgress(
          `download attempt ${attempt} failed (${errorMessage(error)}); retrying in ${delayMs / 1000} s`,
        ),
    });
  } catch (error) {
    const tries = error instanceof DownloadError ? "" : ` (after ${attempts} attempts)`;
    throw new DownloadError(
      `${url}: download failed${tries}: ${errorMessage(error)}; download it yourself and pass its path instead`,
    );
  }
  onProgress(`saved ${target} (SHA-256 verified)`);
  return target;
}

async function downloadVerified(
  options: EnsureArchiveOptions,
  expected: string,
  target: string,
  attempt: number,
  attempts: number,
): Promise<void> {
  const temporary = `${target}.partial-${process.pid}-${randomBytes(4).toString("hex")}`;
  options.onProgress?.(`downloading ${options.url} (attempt ${attempt} of ${attempts})`);
  try {
    const actual = await downloadTo(options, temporary);
    if (actual !== expected) throw new Error(`downloaded file has SHA-256 ${actual}, expected ${expected}`);
    await rename(temporary, target);
  } finally {
    await rm(temporary, { force: true });
  }
}

/** Streams the response body to `path`, returning its SHA-256. Throws DownloadError when retrying is pointless. */
async function downloadTo(options: EnsureArchiveOptions, path: string): Promise<string> {
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  const controller = new AbortController();
  const idleTimer = setTimeout(
    () => controller.abort(new Error(`no data received for ${idleTimeoutMs / 1000} s`)),
    idleTimeoutMs,
  );
  try {
    const response = await (options.fetchImpl ?? fetch)(options.url, { signal: controller.signal });
    if (!response.ok) {
      const status = `HTTP ${response.status} ${response.statusText}`.trim();
      if (isTransientStatus(response.status)) throw new Error(status);
      throw new DownloadError(status);
    }
    if (!response.body) throw new Error("empty response body");
    const declaredLength = contentLength(response.headers);
    const hash = createHash("sha256");
    let received = 0;
    const file = await open(path, "wx");
    try {
      for await (const chunk of response.body) {
        idleTimer.refresh();
        hash.update(chunk);
        received += chunk.byteLength;
        await file.write(chunk);
      }
    } finally {
      await file.close();
    }
    if (declaredLength !== undefined && received !== declaredLength) {
      throw new Error(`connection closed after ${received} of ${declaredLength} bytes`);
    }
    return hash.digest("hex");
  } catch (error) {
    throw controller.signal.aborted ? controller.signal.reason : error;
  } finally {
    clearTimeout(idleTimer);
  }
}

function isTransientStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/** The body length, when the server sent it for the bytes as delivered (not content-encoded). */
function contentLength(headers: Headers): number | undefined {
  const encoding = headers.get("content-encoding");
  if (encoding && encoding !== "identity") return undefined;
  const value = Number(headers.get("content-length"));
  return Number.isSafeInteger(value) && value >= 0 && headers.has("content-length") ? value : undefined;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
