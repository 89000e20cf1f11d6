/** The train command's data step: summarize the corpus, print the summary, stop on a crossed limit. */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ARTIFACT_FILES } from "@textcat/contract";
import { type DataSummary, assertDataPasses, renderDataSummary, summarizeData } from "../data/data-check.js";
import { DATA_CHECKS, type ConfigName } from "../learn/configs.js";
import type { Corpus } from "../types.js";

export type Print = (text: string) => void;

/** Throws DataCheckError (exit 2) after printing the summary when the corpus crosses a limit of the config. */
export function checkCorpus(corpus: Corpus, config: ConfigName, print: Print): DataSummary {
  const summary = summarizeData(corpus);
  print(`${renderDataSummary(summary)}\n`);
  assertDataPasses(summary, DATA_CHECKS[config], config);
  return summary;
}

export async function writeDataSummary(out: string, summary: DataSummary): Promise<void> {
  await writeFile(join(out, ARTIFACT_FILES.dataSummary), `${JSON.stringify(summary, null, 2)}\n`);
}
