import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { DownloadError, ensureCanonicalArchive, type EnsureArchiveOptions } from "../../src/data/index.js";
import { makeTempDir } from "./helpers.js";

const GOOD = Buffer.from("pretend this is the 20news-bydate archive ".repeat(5000));
const GOOD_SHA256 = createHash("sha256").update(GOOD).digest("hex");
const FILE_NAME = "archive.tar.gz";

type Handler = (request: IncomingMessage, response: ServerResponse, requestNumber: number) => void;

const serveGood: Handler = (_request, response) => {
  response.writeHead(200, { "content-type": "application/octet-stream", "content-length": GOOD.length });
  response.end(GOOD);
};

let server: Server;
let baseUrl: string;
let handler: Handler;
let requests: number;
let cacheDir: string;
let delays: number[];
let progress: string[];

beforeEach(async () => {
  requests = 0;
  handler = serveGood;
  server = createServer((request, response) => handler(request, response, ++requests));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cacheDir = join(await makeTempDir(), "cache");
  delays = [];
  progress = [];
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function ensure(overrides: Partial<EnsureArchiveOptions> = {}): Promise<string> {
  return ensureCanonicalArchive({
    url: `${baseUrl}/files/5975967`,
    sha256: GOOD_SHA256,
    cacheDir,
    fileName: FILE_NAME,
    attempts: 3,
    baseDelayMs: 50,
    sleep: async (ms) => void delays.push(ms),
    onProgress: (message) => progress.push(message),
    ...overrides,
  });
}

async function cacheContents(): Promise<string[]> {
  return (await readdir(cacheDir).catch(() => [])).sort();
}

describe("ensureCanonicalArchive", () => {
  it("downloads, verifies and caches the file, leaving nothing else behind", async () => {
    const path = await ensure();

    expect(path).toBe(join(cacheDir, FILE_NAME));
    expect((await readFile(path)).equals(GOOD)).toBe(true);
    expect(await cacheContents()).toEqual([FILE_NAME]);
    expect(requests).toBe(1);
    expect(progress.at(-1)).toBe(`saved ${path} (SHA-256 verified)`);
  });

  it("reuses a verified cached file without a request", async () => {
    await ensure();
    const path = await ensure();

    expect(requests).toBe(1);
    expect(progress.at(-1)).toBe(`using cached ${path} (SHA-256 verified)`);
  });

  it("deletes a corrupt cached file and fetches it again", async () => {
    await ensure();
    await writeFile(join(cacheDir, FILE_NAME), GOOD.subarray(0, 1000));

    const path = await ensure();

    expect(requests).toBe(2);
    expect((await readFile(path)).equals(GOOD)).toBe(true);
    expect(progress.some((message) => message.includes("deleting it and downloading again"))).toBe(true);
  });

  it("never uses a leftover partial download", async () => {
    const { mkdir } = await import("node:fs/promises");
    await mkdir(cacheDir, { recursive: true });
    const leftover = join(cacheDir, `${FILE_NAME}.partial-1-deadbeef`);
    await writeFile(leftover, GOOD);
    handler = (_request, response) => {
      response.writeHead(503);
      response.end();
    };

    await expect(ensure()).rejects.toThrow(DownloadError);
    expect(await cacheContents()).toEqual([`${FILE_NAME}.partial-1-deadbeef`]);
  });

  it("retries a 500 and succeeds on the next 200", async () => {
    handler = (request, response, number) => {
      if (number === 1) {
        response.writeHead(500, "Internal Server Error");
        response.end("oops");
      } else serveGood(request, response, number);
    };

    const path = await ensure();

    expect(requests).toBe(2);
    expect(delays).toEqual([50]);
    expect((await readFile(path)).equals(GOOD)).toBe(true);
    expect(
      progress.some((message) => message.includes("attempt 1 failed (HTTP 500 Internal Server Error)")),
    ).toBe(true);
  });

  it("retries a connection closed mid-body and never keeps the truncated bytes", async () => {
    handler = (request, response, number) => {
      if (number > 1) return serveGood(request, response, number);
      response.writeHead(200, { "content-length": GOOD.length });
      response.write(GOOD.subarray(0, GOOD.length / 2), () => response.socket?.destroy());
    };

    const path = await ensure();

    expect(requests).toBe(2);
    expect((await readFile(path)).equals(GOOD)).toBe(true);
    expect(await cacheContents()).toEqual([FILE_NAME]);
  });

  it("retries a body shorter than its Content-Length", async () => {
    handler = (request, response, number) => {
      if (number > 1) return serveGood(request, response, number);
      response.writeHead(200, { "content-length": GOOD.length });
      response.end(GOOD.subarray(0, 100));
      response.socket?.end();
    };

    await ensure();

    expect(requests).toBe(2);
  });

  it("gives up on a connection that stops sending data", async () => {
    handler = (_request, response) => {
      response.writeHead(200, { "content-length": GOOD.length });
      response.write(GOOD.subarray(0, 10));
    };

    await expect(ensure({ attempts: 2, idleTimeoutMs: 200 })).rejects.toThrow(
      /download failed \(after 2 attempts\): no data received for 0.2 s/,
    );
    expect(await cacheContents()).toEqual([]);
  });

  it("fails clearly on a persistent bad checksum, after retrying, and keeps no file", async () => {
    handler = (_request, response) => response.end("definitely not the archive");

    const error = await ensure().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(DownloadError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^${baseUrl}/files/5975967: download failed \\(after 3 attempts\\): downloaded file has SHA-256 [0-9a-f]{64}, expected ${GOOD_SHA256}`,
      ),
    );
    expect(requests).toBe(3);
    expect(delays).toEqual([50, 100]);
    expect(await cacheContents()).toEqual([]);
  });

  it("does not retry a 404", async () => {
    handler = (_request, response) => {
      response.writeHead(404, "Not Found");
      response.end();
    };

    await expect(ensure()).rejects.toThrow(`${baseUrl}/files/5975967: download failed: HTTP 404 Not Found`);
    expect(requests).toBe(1);
  });

  it("retries when nothing listens and names the cause", async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    server = createServer();
    server.listen(0, "127.0.0.1");

    await expect(ensure({ attempts: 2 })).rejects.toThrow(/after 2 attempts\): fetch failed: .*ECONNREFUSED/);
    expect(delays).toEqual([50]);
  });

  it("uses an injected fetch", async () => {
    const calls: string[] = [];
    const fetchImpl: typeof fetch = async (input) => {
      calls.push(input instanceof Request ? input.url : String(input));
      return new Response(GOOD);
    };

    await ensure({ url: "https://example.invalid/archive", fetchImpl });

    expect(calls).toEqual(["https://example.invalid/archive"]);
    expect(requests).toBe(0);
  });
});
