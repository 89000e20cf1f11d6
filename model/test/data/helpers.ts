import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { pack } from "tar-stream";
import { afterEach } from "vitest";

const temporaryDirs: string[] = [];

/** A fresh temporary folder, removed after the current test. */
export async function makeTempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "textcat-data-"));
  temporaryDirs.push(dir);
  return dir;
}

afterEach(async () => {
  await Promise.all(temporaryDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Writes files given as relative path → content; a path ending in "/" creates an empty folder. */
export async function writeTree(root: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [relativePath, content] of Object.entries(files)) {
    const path = join(root, relativePath);
    if (relativePath.endsWith("/")) {
      await mkdir(path, { recursive: true });
      continue;
    }
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
}

/** Writes a tar (gzipped unless told otherwise) with entries in the given order; "x/" is a folder entry. */
export async function writeTar(
  path: string,
  entries: Record<string, string | Buffer>,
  options: { gzip?: boolean } = {},
): Promise<void> {
  const archive = pack();
  for (const [name, content] of Object.entries(entries)) {
    if (name.endsWith("/")) archive.entry({ name, type: "directory" });
    else archive.entry({ name }, typeof content === "string" ? Buffer.from(content, "latin1") : content);
  }
  archive.finalize();
  const output = createWriteStream(path);
  if (options.gzip === false) await pipeline(archive, output);
  else await pipeline(archive, createGzip(), output);
}

/** The 20news layout in miniature: two labels, files deliberately out of order. */
export const MINI_NEWS: Record<string, string> = {
  "mini-train/": "",
  "mini-train/sci.space/": "",
  "mini-train/sci.space/20": "orbit launch rocket",
  "mini-train/sci.space/3": "caf\u00e9 on the moon",
  "mini-train/rec.autos/": "",
  "mini-train/rec.autos/7": "engine wheels car",
  "mini-train/rec.autos/11": "brakes and tyres",
  "mini-test/sci.space/5": "shuttle orbit",
  "mini-test/rec.autos/9": "car engine",
};
