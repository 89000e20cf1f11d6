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
  /** Per role, every IAM action the stand-in allowed it during the story. */
  actionsUsed: Record<string, string[]>;
  seconds: number;
}

export interface Refusals {
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
  const warm = {
    "provisioned-concurrency": String(options.provisionedConcurrency ?? STORY_PROVISIONED_CONCURRENCY),
  };

  await session.step(
    "PR 1: train-and-commit",
    () => session.train(options.data, "default", golden),
    (run) => ({
      note: `accuracy ${run.outputs.accuracy ?? "?"}, committed ${run.outputs.committed ?? "?"}`,
    }),
  );
  const first = await session.step("PR 1: build-test-push", () => session.buildTestPush(), row);
  tested.push(first.digest);
  await session.step(
    "infra: create function",
    () => session.createFunction(first.imageUri),
    () => ({ digest: first.digest }),
  );
  await createDevFunction(session, first.imageUri);
  const firstInDev = await promoteToDev(session, "merge 1", first, golden);
  const promoted = await session.step(
    "merge 1: promote",
    async () => must(await session.promote(firstInDev, golden, warm)),
    (run) => ({
      digest: run.outputs.digest,
      version: run.outputs.version,
    }),
  );
  const stages = [await stagesServing(session)];
  const before = await classifyStep(session);
  const firstColds = session.coldStarts(promoted.outputs.version ?? "");

  const grown = await session.grownFixture(options.data);
  if (grown) {
    await session.step(
      "PR 2: train-and-commit (more data)",
      () => session.train(grown, "default", golden),
      (run) => ({
        note: `accuracy ${run.outputs.accuracy ?? "?"}, committed ${run.outputs.committed ?? "?"}`,
      }),
    );
  } else {
    await session.step(
      "PR 2: change service/Dockerfile",
      () => session.changeDockerfile("pipeline-local second change"),
      (sha) => ({ note: `commit ${sha.slice(0, 12)}` }),
    );
  }
  const second = await session.step("PR 2: build-test-push", () => session.buildTestPush(), row);
  tested.push(second.digest);
  const refusals = await identityChecks(session, second, golden);
  const devRefusals = await devStageRefusals(session, second, golden);
  const again = await session.step(
    "merge 2: build-test-push (unchanged)",
    () => session.buildTestPush("mainImage"),
    row,
  );
  if (!again.reused || again.digest !== second.digest)
    throw new Error("unchanged content was rebuilt instead of reused");
  const secondInDev = await promoteToDev(session, "merge 2", again, golden);
  const promotedSecond = await session.step(
    "merge 2: promote",
    async () => must(await session.promote(secondInDev, golden, warm)),
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
    actionsUsed: Object.fromEntries(
      [...(session.aws.iam?.identities.used ?? [])].map(([role, actions]) => [role, [...actions].sort()]),
    ),
    seconds: (performance.now() - started) / 1000,
  };
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
  const forkPr = await refusal("fork PR: configure-aws-credentials", async () =>
    refusedReason(await session.credentialsFor("forkPrImage")),
  );
  const prAssumesDeployRole = await refusal("PR job: assume the deploy role", async () =>
    refusedReason(await session.credentialsFor("prAsDeployer")),
  );
  const prPromote = await refusal("PR job: promote with the push role", async () => {
    const run = await session.promote(image, golden, {}, "prAsPromoter");
    if (run.exitCode === 0) throw new Error("promote succeeded with the push role");
    // The runner's error line, up to its stack (annotations escape newlines as %0A).
    const denied = /AccessDenied\w*:[^\n]*/.exec(run.log)?.[0] ?? run.log.trim().split("\n").at(-1) ?? "";
    return denied.split("%0A")[0]!;
  });
  const after = await session.serving();
  return { forkPr, prAssumesDeployRole, prPromote, liveUnchanged: after.version === before.version };
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
