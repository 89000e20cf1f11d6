/**
 * Reads the 20 Newsgroups "bydate" .tar.gz for the benchmark (latin-1 text, label = folder name),
 * in archive order: `<top>-train/<label>/<file>` and `<top>-test/<label>/<file>`.
 */
import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import { pipeline } from "node:stream/promises";
import tar from "tar-stream";
import type { LabelledDoc } from "../src/types.js";

export async function readBydateArchive(
  path: string,
): Promise<{ train: LabelledDoc[]; test: LabelledDoc[] }> {
  const train: LabelledDoc[] = [];
  const test: LabelledDoc[] = [];
  const extract = tar.extract();
  extract.on("entry", (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: unknown) => chunks.push(chunk as Buffer));
    stream.on("end", () => {
      const [top, label] = header.name.split("/");
      if (header.type === "file" && top && label && header.name.split("/").length === 3) {
        const doc = { text: Buffer.concat(chunks).toString("latin1"), label };
        (top.endsWith("train") ? train : test).push(doc);
      }
      next();
    });
    stream.resume();
  });
  await pipeline(createReadStream(path), createGunzip(), extract);
  return { train, test };
}
