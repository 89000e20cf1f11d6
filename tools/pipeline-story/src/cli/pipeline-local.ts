/**
 * npm run pipeline:local [-- --data <fixture|path>] [--verbose]
 * The whole story on this machine: train-and-commit → build-test-push → promote → classify →
 * a second change → build-test-push (and its reuse) → promote → rollback → classify, with the real
 * action bundles against the local AWS stand-in (tools/local-aws) and the local registry.
 */
import { resolve } from "node:path";
import { EXIT_USAGE, parseCommandLine, UsageError } from "@textcat/kit/args";
import { formatTimeline, runStory, StoryError, type StoryResult } from "../story.js";

const USAGE =
  "usage: npm run pipeline:local -- [--data fixture|<archive|folder|file.csv|file.jsonl>] [--verbose]";
const TARGETS: [label: string, step: string, limitSeconds: number][] = [
  ["promote of a tested digest to dev", "merge 2: promote dev", 10],
  ["promote of that digest to prod", "merge 2: promote", 10],
  ["rollback", "rollback", 5],
  ["reuse of an existing digest", "merge 2: build-test-push (unchanged)", 3],
];

function numbers(result: StoryResult): string[] {
  const lines = TARGETS.map(([label, step, limit]) => {
    const seconds = result.timeline.find((row) => row.step === step)?.seconds ?? Number.NaN;
    return `${label}: ${seconds.toFixed(1)} s (goal ≤ ${limit} s) ${seconds <= limit ? "ok" : "OVER"}`;
  });
  lines.push(
    `whole story: ${result.seconds.toFixed(0)} s (goal ≤ 300 s from a warm cache) ${result.seconds <= 300 ? "ok" : "OVER"}`,
  );
  return lines;
}

async function main(): Promise<void> {
  const values = parseCommandLine(
    process.argv.slice(2),
    {
      data: { type: "string", default: "fixture" },
      repo: { type: "string", default: resolve(import.meta.dirname, "../../../..") },
      verbose: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    USAGE,
  );
  if (values.help) return console.log(USAGE);
  const data = values.data === "fixture" ? "fixture" : resolve(values.data);
  const repoRoot = resolve(values.repo);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  console.log(`pipeline:local: data ${data}; scratch clone of ${repoRoot} (the working tree is not touched)`);
  const result = await runStory({
    repoRoot,
    data,
    echo: values.verbose ? (line) => console.log(`    ${line}`) : undefined,
  });
  console.log(`\n${formatTimeline(result.timeline)}\n`);
  for (const line of numbers(result)) console.log(line);
  console.log(`answers after rollback equal the first deploy's: ${result.answersRestored ? "yes" : "NO"}`);
  const warm = result.warmAfterPromote.map((isWarm) => (isWarm ? "initialized" : "COLD")).join(", ");
  console.log(`first request through live after each promote met a container: ${warm}`);
  console.log(
    `cold starts of each new version (golden + first user request): ${result.coldStartsOfNewVersion.join(", ")}`,
  );
  const { refusals } = result;
  console.log(`fork PR: pr.yml image → ${refusals.forkPrImageJob}`);
  console.log(`refused: fork PR's push → ${refusals.forkPush}`);
  console.log(`refused: fork PR → ${refusals.forkPr}`);
  console.log(`refused: PR token → deploy role → ${refusals.prAssumesDeployRole}`);
  console.log(`refused: promote with the PR's role → ${refusals.prPromote}`);
  console.log(`live unchanged by the refused attempts: ${refusals.liveUnchanged ? "yes" : "NO"}`);
  const { devRefusals } = result;
  console.log(`refused: dev job → prod deploy role → ${devRefusals.devAssumesProdRole}`);
  console.log(`refused: promote prod with the dev role → ${devRefusals.devPromotesProd}`);
  console.log(`prod live unchanged by the dev job: ${devRefusals.prodUnchanged ? "yes" : "NO"}`);
  for (const [index, { dev, prod, same }] of result.stages.entries())
    console.log(
      `merge ${index + 1}: dev live ${dev.digest} (v${dev.version}), prod live ${prod.digest} (v${prod.version}): ${same ? "same digest" : "DIFFERENT digests"}`,
    );
  for (const [role, actions] of Object.entries(result.actionsUsed))
    console.log(`actions used by ${role}: ${actions.join(", ")}`);
  console.log(`\nAs a reviewer sees it on the GitHub stand-in:\n${result.reviewerView}\n`);
  const verdict = result.servingIsTested ? "equals" : "DOES NOT equal";
  console.log(
    `serving ${result.servingDigest} (version ${result.servingVersion}) ${verdict} the digest tested by build-test-push`,
  );
  if (
    !result.servingIsTested ||
    !result.answersRestored ||
    !result.refusals.liveUnchanged ||
    !result.devRefusals.prodUnchanged ||
    result.stages.some((stage) => !stage.same) ||
    result.warmAfterPromote.includes(false) ||
    result.coldStartsOfNewVersion.some((colds) => colds > 0)
  )
    process.exitCode = 1;
}

main().catch((error: unknown) => {
  if (error instanceof StoryError) console.log(`\n${formatTimeline(error.timeline)}\n`);
  console.error(`pipeline:local: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = error instanceof UsageError ? EXIT_USAGE : 1;
});
