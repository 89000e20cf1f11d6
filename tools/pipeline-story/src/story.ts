import type { Classification } from "./classify.js";
import {
  FIXTURE_GOLDEN,
  PipelineSession,
  must,
  STORY_PROVISIONED_CONCURRENCY,
  type BuiltImage,
  type SessionOptions,
  type TimelineRow,
} from "./session.js";
import {
  createDevFunction,
  devStageRefusals,
  promoteToDev,
  stagesServing,
  type DevStageRefusals,
  type StagesServing,
} from "./two-stages.js";
import type { JobResult, WorkflowRun } from "./workflow-run.js";

export interface StoryOptions extends SessionOptions {
  /** Training data: "fixture" (small, default), or a path the trainer reads. */
  data: string;
  /** Golden requests for promote/rollback; the fixture ones unless training on real data. */
  golden?: string;
  /** Provisioned concurrency each promote gives the new version before the switch (default: the session's grant). */
  provisionedConcurrency?: number;
}

export interface StoryResult {
  timeline: TimelineRow[];
  images: { first: BuiltImage; second: BuiltImage; unchanged: BuiltImage };
  firstVersion: string;
  /** The golden requests promote and rollback checked. */
  golden: string;
  tested: string[];
  servingDigest: string;
  servingVersion: string;
  servingIsTested: boolean;
  answersRestored: boolean;
  /** Each promote's first request through live met an initialized container (no Init Duration). */
  warmAfterPromote: boolean[];
  /** Per promote: invocations of the new version (golden and user) that had to start a container. */
  coldStartsOfNewVersion: number[];
  /** What each job may not do, as AWS answered it (see identityChecks). */
  refusals: Refusals;
  /** After each merge: what dev's and prod's `live` serve (one digest through both stages). */
  stages: StagesServing[];
  /** What the dev job may not do to production, as AWS answered it. */
  devRefusals: DevStageRefusals;
  /** The stand-in's comments, statuses and deployments as a reviewer sees them. */
  reviewerView: string;
  /** PR 1's artifacts commit (train job output) and main after each merge. */
  commits: { pr1Artifacts: string; merge1: string; merge2: string };
  /** Per role, every IAM action the stand-in allowed it during the story. */
  actionsUsed: Record<string, string[]>;
  seconds: number;
}

export interface Refusals {
  /** pr.yml `image` for a fork PR: what its `if:` made of it. */
  forkPrImageJob: string;
  /** The fork PR's push with its job's GITHUB_TOKEN (read-only), as the stand-in's git answered. */
  forkPush: string;
  /** A fork PR's job: no OIDC token, so no AWS credentials at all. */
  forkPr: string;
  /** A same-repository PR token presented for the deploy role. */
  prAssumesDeployRole: string;
  /** promote run by a PR job with the role PRs get. */
  prPromote: string;
  /** `live` served the same version before and after the refused attempts. */
  liveUnchanged: boolean;
}

const SAMPLE = "The rocket launched a satellite into orbit around Mars";

/**
 * PR → merge → deploy → second change → deploy → rollback, with the real actions against the local
 * AWS stand-in. Each digest promote deploys is one build-test-push reported as tested.
 */
export async function runStory(options: StoryOptions): Promise<StoryResult> {
  const started = performance.now();
  const session = await PipelineSession.open(options);
  // Ctrl-C still stops the containers, the stand-in and the scratch clone this run started.
  const interrupt = (): void => {
    void session.close().finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupt);
  try {
    return await runStoryIn(session, options, started);
  } catch (error) {
    throw new StoryError(error instanceof Error ? error.message : String(error), session.timeline);
  } finally {
    process.off("SIGINT", interrupt);
    await session.close();
  }
}

/** The story in an open session (the end-to-end test goes on from where it ends). */
export async function runStoryIn(
  session: PipelineSession,
  options: StoryOptions,
  started = performance.now(),
): Promise<StoryResult> {
  const golden = options.golden ?? (options.data === "fixture" ? FIXTURE_GOLDEN : "model/golden.json");
  const row = (image: BuiltImage) => ({
    digest: image.digest,
    note: image.reused ? "reused" : "built + tested",
  });
  const tested: string[] = [];
  // The repository variable deploy.yml's promote reads for provisioned concurrency.
  const deployVars = {
    PROVISIONED_CONCURRENCY: String(options.provisionedConcurrency ?? STORY_PROVISIONED_CONCURRENCY),
  };
  const trained = (job: JobResult) => {
    const outputs = job.runs.at(-1)?.outputs ?? {};
    return { note: `accuracy ${outputs.accuracy ?? "?"}, committed ${outputs.committed ?? "?"}` };
  };

  const base1 = await session.repo.head();
  const pr1 = await session.pullRequest(1, "pull_request_opened", { golden, data: options.data });
  const pr1Train = await session.step("PR 1: train-and-commit", () => session.train(pr1), trained);
  const first = await session.step("PR 1: build-test-push", () => session.buildTestPush(pr1), row);
  tested.push(first.digest);
  await session.step(
    "infra: create function",
    () => session.createFunction(first.imageUri),
    () => ({ digest: first.digest }),
  );
  await createDevFunction(session, first.imageUri);
  const merged1 = await session.merge(1);
  const merge1 = await session.pushToMain(base1, "Merge pull request #1", { golden, vars: deployVars });
  await reuseStep(session, "merge 1: build-test-push (unchanged)", merge1, first);
  await gateStep(session, "merge 1: gate-check", merge1);
  await promoteToDev(session, "merge 1", merge1, first);
  const promoted = await session.step(
    "merge 1: promote",
    async () => must(await session.promoteIn(merge1, first)),
    (run) => ({
      digest: run.outputs.digest,
      version: run.outputs.version,
    }),
  );
  const stages = [await stagesServing(session)];
  const before = await classifyStep(session);
  const firstColds = session.coldStarts(promoted.outputs.version ?? "");

  const base2 = await session.repo.head();
  const grown = await session.grownFixture(options.data);
  const pr2 = await session.pullRequest(2, "pull_request_opened", { golden, data: grown });
  if (grown) {
    await session.step("PR 2: train-and-commit (more data)", () => session.train(pr2), trained);
  } else {
    await session.step(
      "PR 2: change service/Dockerfile",
      async () => {
        const sha = await session.changeDockerfile("pipeline-local second change");
        await session.noRetrain(pr2);
        return sha;
      },
      (sha) => ({ note: `commit ${sha.slice(0, 12)}` }),
    );
  }
  const second = await session.step("PR 2: build-test-push", () => session.buildTestPush(pr2), row);
  tested.push(second.digest);
  const refusals = await identityChecks(session, second, golden);
  const devRefusals = await devStageRefusals(session, second, golden);
  const merged2 = await session.merge(2);
  const merge2 = await session.pushToMain(base2, "Merge pull request #2", { golden, vars: deployVars });
  const again = await reuseStep(session, "merge 2: build-test-push (unchanged)", merge2, second);
  await gateStep(session, "merge 2: gate-check", merge2);
  await promoteToDev(session, "merge 2", merge2, second);
  const promotedSecond = await session.step(
    "merge 2: promote",
    async () => must(await session.promoteIn(merge2, second)),
    (run) => ({
      digest: run.outputs.digest,
      version: run.outputs.version,
    }),
  );
  stages.push(await stagesServing(session));
  const after = await classifyStep(session);
  const secondColds = session.coldStarts(promotedSecond.outputs.version ?? "");

  await session.step(
    "rollback",
    async () => must(await session.rollback(golden)),
    (run) => ({
      digest: run.outputs.digest,
      version: run.outputs.version,
    }),
  );
  const restored = await classifyStep(session);

  const serving = await session.serving();
  return {
    timeline: session.timeline,
    images: { first, second, unchanged: again },
    firstVersion: promoted.outputs.version ?? "",
    golden,
    tested,
    servingDigest: serving.digest,
    servingVersion: serving.version,
    servingIsTested:
      serving.digest === first.digest &&
      tested.includes(serving.digest) &&
      serving.version === promoted.outputs.version,
    answersRestored:
      after.executedVersion !== before.executedVersion &&
      (grown === undefined || after.modelSha256 !== before.modelSha256) &&
      restored.executedVersion === before.executedVersion &&
      restored.modelSha256 === before.modelSha256 &&
      restored.label === before.label,
    warmAfterPromote: [before, after].map((answer) => answer.initDurationMs === undefined),
    coldStartsOfNewVersion: [firstColds, secondColds],
    refusals,
    stages,
    devRefusals,
    reviewerView: session.github.standIn.reviewerView(),
    commits: {
      pr1Artifacts: pr1Train.outputs["commit-sha"] ?? "",
      merge1: merged1,
      merge2: merged2,
    },
    actionsUsed: Object.fromEntries(
      [...(session.aws.iam?.identities.used ?? [])].map(([role, actions]) => [role, [...actions].sort()]),
    ),
    seconds: (performance.now() - started) / 1000,
  };
}

/** deploy.yml `gate`: the artifacts main holds were passed by the quality gate, as GitHub recorded it. */
function gateStep(session: PipelineSession, step: string, run: WorkflowRun): Promise<JobResult> {
  return session.step(
    step,
    () => session.gate(run),
    (job) => ({
      note:
        /the quality gate passed these artifacts at \w+/.exec(job.runs.at(-1)?.log ?? "")?.[0] ?? "passed",
    }),
  );
}

/** deploy.yml `image` after a merge: the tested image of the PR, found again for the same content. */
async function reuseStep(
  session: PipelineSession,
  step: string,
  run: WorkflowRun,
  tested: BuiltImage,
): Promise<BuiltImage> {
  const found = await session.step(
    step,
    () => session.buildTestPush(run),
    (image) => ({
      digest: image.digest,
      note: image.reused ? "reused" : "built + tested",
    }),
  );
  if (!found.reused || found.digest !== tested.digest)
    throw new Error("unchanged content was rebuilt instead of reused");
  return found;
}

/**
 * What the roles keep out, shown against the stand-in's IAM: a fork PR gets no token, a PR token is
 * not trusted by the deploy role, and promote run with the PR's role is refused by Lambda while
 * `live` stays where it was.
 */
async function identityChecks(
  session: PipelineSession,
  image: BuiltImage,
  golden: string,
): Promise<Refusals> {
  const before = await session.serving();
  const refusal = async (step: string, work: () => Promise<string>): Promise<string> =>
    session.step(step, work, (reason) => ({ note: reason.slice(0, 110) }));
  const forkPrImageJob = await refusal("fork PR: pr.yml image", async () => {
    const run = await session.pullRequest(3, "pull_request_synchronize", { golden }, true);
    await session.noRetrain(run);
    return `job ${(await run.job("image")).result} (its if: admits no fork)`;
  });
  const forkPush = await refusal("fork PR: git push with its GITHUB_TOKEN", async () => {
    const run = await session.pullRequest(3, "pull_request_synchronize", { golden }, true);
    return session.forkPush(run);
  });
  const forkPr = await refusal("fork PR: configure-aws-credentials", async () =>
    refusedReason(await session.credentialsFor("forkPrImage")),
  );
  const prAssumesDeployRole = await refusal("PR job: assume the deploy role", async () =>
    refusedReason(await session.credentialsFor("prAsDeployer")),
  );
  const prPromote = await refusal("PR job: promote with the push role", async () => {
    const run = await session.promoteAsPullRequest(image, golden);
    if (run.exitCode === 0) throw new Error("promote succeeded with the push role");
    // The runner's error line, up to its stack (annotations escape newlines as %0A).
    const denied = /AccessDenied\w*:[^\n]*/.exec(run.log)?.[0] ?? run.log.trim().split("\n").at(-1) ?? "";
    return denied.split("%0A")[0]!;
  });
  const after = await session.serving();
  return {
    forkPrImageJob,
    forkPush,
    forkPr,
    prAssumesDeployRole,
    prPromote,
    liveUnchanged: after.version === before.version,
  };
}

function refusedReason(result: object): string {
  if (!("refused" in result)) throw new Error("the job got AWS credentials it must not get");
  return String(result.refused);
}

function classifyStep(session: PipelineSession): Promise<Classification> {
  return session.step(
    "classify via live",
    () => session.classify(SAMPLE),
    (answer) => ({
      version: answer.executedVersion,
      note:
        `${answer.label} (model ${answer.modelSha256.slice(0, 12)}); ` +
        (answer.initDurationMs === undefined
          ? "container already initialized (no Init Duration)"
          : `cold container (Init Duration ${answer.initDurationMs} ms)`),
    }),
  );
}

/** A failed story, with the timeline up to the failure. */
export class StoryError extends Error {
  constructor(
    message: string,
    readonly timeline: TimelineRow[],
  ) {
    super(message);
  }
}

export function formatTimeline(rows: TimelineRow[]): string {
  const table = rows.map((row) => [
    row.step,
    row.seconds.toFixed(1),
    row.digest ? `${row.digest.slice(0, 19)}…` : "",
    row.version ?? "",
    row.note ?? "",
  ]);
  const header = ["step", "seconds", "digest", "version", "note"];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...table.map((cells) => (cells[column] ?? "").length)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) =>
        column === 1 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...table.map(line)].join("\n");
}
