import { readFile } from "node:fs/promises";

export const COMMITTED_METRICS = "model/artifacts/metrics.json";

/** `model_sha256` from the committed metrics.json, or "" when there is none to read. */
export async function committedModelSha256(path = COMMITTED_METRICS): Promise<string> {
  try {
    const metrics = JSON.parse(await readFile(path, "utf8")) as { model_sha256?: unknown };
    return typeof metrics.model_sha256 === "string" && /^[0-9a-f]{64}$/.test(metrics.model_sha256)
      ? metrics.model_sha256
      : "";
  } catch {
    return "";
  }
}
