/**
 * npm run test:mutation [-- <stryker run options>, e.g. --mutate service/src/request.ts]: Stryker on
 * the decision code (stryker.config.json, vitest.mutation.config.ts), then the score per module,
 * also appended to $GITHUB_STEP_SUMMARY when the runner sets it. Older Node gets one line and exit 2.
 */
import { appendFileSync, existsSync, readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { exec } from "@textcat/kit/process";
import { strykerSupportsNode } from "./mutation/node-support.js";
import { moduleScores, summaryMarkdown, type MutationReport } from "./mutation/summary.js";

const ROOT = resolve(import.meta.dirname, "..");
const REPORT = resolve(ROOT, "reports/mutation/mutation.json");

async function main(): Promise<number> {
  if (!strykerSupportsNode(process.version)) {
    console.error(
      `npm run test:mutation needs Node 22.18+ or 24.11+ (Stryker 10); this is ${process.version}`,
    );
    return 2;
  }
  rmSync(REPORT, { force: true });
  const stryker = resolve(ROOT, "node_modules/@stryker-mutator/core/bin/stryker.js");
  const run = await exec(process.execPath, [stryker, "run", ...process.argv.slice(2)], {
    cwd: ROOT,
    stdio: "inherit",
  });
  if (!existsSync(REPORT)) return run.code;
  const report = JSON.parse(readFileSync(REPORT, "utf8")) as MutationReport;
  const summary = summaryMarkdown(moduleScores(report));
  console.log(summary);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, summary);
  return run.code;
}

process.exitCode = await main();
