import { DescribeImagesCommand } from "@aws-sdk/client-ecr";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { run } from "@textcat/kit/process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GitHubRecords } from "@textcat/local-aws/github";
import { withoutAction } from "@textcat/local-aws/synth-stack";
import { buildFromDockerfile } from "@textcat/local-aws/docker";
import { PipelineSession, type BuiltImage } from "../../src/session.js";
import { runStoryIn, type StoryResult } from "../../src/story.js";
// The checkout whose committed HEAD the story runs (this one unless PIPELINE_LOCAL_REPO names another).
const repoRoot = resolve(process.env.PIPELINE_LOCAL_REPO ?? resolve(import.meta.dirname, "../../../.."));
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

let session: PipelineSession;
let story: StoryResult;
/** The GitHub stand-in's records as the story left them (later tests add deployments). */
let reviewer: GitHubRecords;
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "textcat-e2e-"));
  session = await PipelineSession.open({ repoRoot });
  story = await runStoryIn(session, { repoRoot, data: "fixture" });
  reviewer = structuredClone({ ...session.github.standIn.records });
}, 1_800_000); // the story takes minutes alone and far longer on a machine shared with other runs
afterAll(async () => {
  await session?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** A new digest with the same behaviour: the second image plus one label, pushed to the registry. */
async function relabelled(image: BuiltImage, repository: string): Promise<BuiltImage> {
  const target = `127.0.0.1:5000/${repository}:race-${Date.now()}`;
  const dockerfile = `FROM ${image.imageUri}\nLABEL textcat.e2e.race="${Date.now()}"\n`;
  await buildFromDockerfile(target, dockerfile);
  const stdout = await run("docker", ["push", target], { quiet: true });
  const digest = /digest: (sha256:[0-9a-f]{64})/.exec(stdout)?.[1] ?? "";
  return { ...image, digest, imageUri: `${target.replace(/:race-\d+$/, "")}@${digest}`, reused: false };
}

describe("the pipeline end to end, with the real actions against the local AWS stand-in", () => {
  it("deploys exactly the digest build-test-push tested and ECR holds", async () => {
    const { first } = story.images;
    expect(first.reused).toBe(false);
    const { imageDetails } = await session.ecr.send(
      new DescribeImagesCommand({
        repositoryName: session.repository,
        imageIds: [{ imageTag: `ck-${first.contentKey}` }],
      }),
    );
    expect(imageDetails?.[0]?.imageDigest).toBe(first.digest);
    const deployed = story.timeline.find((row) => row.step === "merge 1: promote");
    expect(deployed?.digest).toBe(first.digest);
    expect(story.servingDigest).toBe(first.digest);
    expect(story.servingIsTested).toBe(true);
  });

  it("shows a reviewer one comment per PR, statuses on the exact commits, a deployment per deploy or rollback", () => {
    const { pr1Artifacts, merge1, merge2 } = story.commits;
    // Main fast-forwards to each PR's head: merge 1 is PR 1's artifacts commit.
    expect(merge1).toBe(pr1Artifacts);
    expect(reviewer.comments.map((comment) => comment.issueNumber).sort()).toEqual([1, 2]);
    const state = (sha: string, context: string) =>
      reviewer.statuses.filter((status) => status.sha === sha && status.context === context).at(-1)?.state;
    expect(state(pr1Artifacts, "textcat/quality-gate")).toBe("success");
    expect(state(pr1Artifacts, "textcat/image")).toBe("success");
    expect(state(merge2, "textcat/quality-gate")).toBe("success");
    expect(state(merge2, "textcat/image")).toBe("success");
    // dev then production for each merge, then the rollback: each names the commit whose image it serves.
    expect(reviewer.deployments.map((deployment) => [deployment.environment, deployment.sha])).toEqual([
      ["dev", merge1],
      ["production", merge1],
      ["dev", merge2],
      ["production", merge2],
      ["production", merge1],
    ]);
    // A success marks the earlier deployments of a non-production environment inactive (auto_inactive,
    // https://docs.github.com/en/rest/deployments/statuses#create-a-deployment-status): dev's first.
    const lastStates = reviewer.deployments.map(
      (deployment) =>
        reviewer.deploymentStatuses.filter((status) => status.deploymentId === deployment.id).at(-1)?.state,
    );
    expect(lastStates).toEqual(["inactive", "success", "success", "success", "success"]);
    expect(story.reviewerView).toContain("Deployments (5)");
    expect(story.refusals.forkPush).toContain("Permission to local/textcat-lambda.git denied");
  });

  it("serves the first request after each promote from a container initialized before the switch", () => {
    // Each promote gave the new version provisioned concurrency and waited for READY: the containers
    // ran their init before the alias moved, so the first user request reports no Init Duration.
    expect(story.warmAfterPromote).toEqual([true, true]);
    // Not even the golden requests met a cold container: every one ran on the provisioned ones.
    expect(story.coldStartsOfNewVersion).toEqual([0, 0]);
    const classified = story.timeline.filter((row) => row.step === "classify via live");
    expect(classified[0]?.note).toContain("no Init Duration");
    expect(classified[1]?.note).toContain("no Init Duration");
  });

  it("reuses an image of unchanged content instead of building it again", () => {
    const { second, unchanged } = story.images;
    expect(second.reused).toBe(false);
    expect(unchanged).toMatchObject({ reused: true, digest: second.digest, contentKey: second.contentKey });
    expect(unchanged.run.log).not.toContain("image:build");
    expect(second.run.log).toContain("image:build");
  });

  it("rolls back to the previous version, which answers as it did before", async () => {
    expect(story.servingVersion).toBe(story.firstVersion);
    expect(story.answersRestored).toBe(true);
    const promotedSecond = story.timeline.find((row) => row.step === "merge 2: promote");
    expect(promotedSecond?.version).not.toBe(story.firstVersion);
  });

  it("runs each job with its trigger's token and role: no PR deploys, a fork gets no token", () => {
    const { refusals } = story;
    expect(refusals.forkPrImageJob).toBe("job skipped (its if: admits no fork)");
    expect(refusals.forkPr).toContain("getIDToken");
    expect(refusals.prAssumesDeployRole).toBe(
      "configure-aws-credentials: AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity",
    );
    expect(refusals.prPromote).toMatch(
      /^AccessDeniedException: User: arn:aws:sts::\d{12}:assumed-role\/[\w-]+-github-push\/GitHubActions is not authorized to perform: lambda:\w+ on resource: arn:aws:lambda:/,
    );
    expect(refusals.liveUnchanged).toBe(true);
    const { deployRoleName, pushRoleName } = session.stage.names;
    expect(story.actionsUsed[deployRoleName]).toEqual(
      expect.arrayContaining(["lambda:UpdateAlias", "lambda:UpdateFunctionCode"]),
    );
    expect(story.actionsUsed[pushRoleName]?.filter((action) => action.startsWith("lambda:"))).toEqual([]);
  });

  it("promotes one digest to dev, then that same digest to prod, with the dev job's own role", () => {
    const { first, second } = story.images;
    const stage = (digest: string) => ({ version: expect.stringMatching(/^\d+$/), digest });
    expect(story.stages).toEqual([
      { dev: stage(first.digest), prod: stage(first.digest), same: true },
      { dev: stage(second.digest), prod: stage(second.digest), same: true },
    ]);
    const devDeployRole = session.devStage.names.deployRoleName;
    expect(story.actionsUsed[devDeployRole]).toEqual(
      expect.arrayContaining(["lambda:UpdateAlias", "lambda:UpdateFunctionCode", "ecr:PutImage"]),
    );
    const { devRefusals } = story;
    expect(devRefusals.devAssumesProdRole).toBe(
      "configure-aws-credentials: AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity",
    );
    expect(devRefusals.devPromotesProd).toMatch(
      new RegExp(
        `^AccessDeniedException: User: arn:aws:sts::\\d{12}:assumed-role/${devDeployRole}/GitHubActions is not authorized to perform: lambda:\\w+ on resource: arn:aws:lambda:[\\w-]+:\\d{12}:function:${session.functionName}\\b`,
      ),
    );
    expect(devRefusals.prodUnchanged).toBe(true);
  });

  it("leaves unused only the grants whose code path the story does not take", () => {
    const granted = (roleName: string): string[] => {
      const role = [...session.aws.iam!.identities.model.roles.values()].find(
        (found) => found.name === roleName,
      );
      const statements = role!.policies.flatMap((policy) =>
        Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement],
      );
      return [...new Set(statements.flatMap((statement) => [statement.Action ?? []].flat()))].sort();
    };
    const unused = (roleName: string): string[] =>
      granted(roleName).filter((action) => !(story.actionsUsed[roleName] ?? []).includes(action));
    // docker push and pull talk to the registry, which the stand-in does not authorize
    // (tools/local-aws/README.md).
    expect(unused(session.stage.names.pushRoleName)).toEqual([
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]);
    // No canary (DescribeAlarms), an image given by digest (DescribeImages, DescribeRepositories), image
    // access for UpdateFunctionCode (GetDownloadUrlForLayer): all called by the actions' code
    // (service/infra/test/least-privilege.test.ts). GetFunctionConfiguration is used: the
    // published-version-active waiter polls it on every promote.
    expect(unused(session.stage.names.deployRoleName)).toEqual([
      "cloudwatch:DescribeAlarms",
      "ecr:DescribeImages",
      "ecr:DescribeRepositories",
      "ecr:GetDownloadUrlForLayer",
    ]);
  });

  it("fails the step that needs a removed permission with AccessDenied, and live stays", async () => {
    const before = await session.serving();
    const { template, names } = session.stage;
    const dev = session.devStage.template;
    session.aws.iam!.reload([dev, withoutAction(template, names.deployRoleName, "lambda:UpdateAlias")]);
    try {
      const failed = await session.promote(story.images.second, story.golden);
      expect(failed.exitCode).not.toBe(0);
      expect(failed.log).toMatch(
        /AccessDeniedException: User: \S+ is not authorized to perform: lambda:UpdateAlias/,
      );
      expect(await session.serving()).toEqual(before);
    } finally {
      session.aws.iam!.reload([dev, template]);
    }
  });

  it("leaves the alias on the old version when the new version fails its smoke test", async () => {
    const before = await session.serving();
    const impossible = join(scratch, "impossible-golden.json");
    await writeFile(
      impossible,
      JSON.stringify([{ text: "The rocket reached orbit", label: "no-such-label" }]),
    );
    const failed = await session.promote(story.images.second, impossible);
    expect(failed.exitCode).not.toBe(0);
    expect(failed.log).toContain("golden");
    expect(await session.serving()).toEqual(before);
    expect((await session.classify("Whisk the eggs")).executedVersion).toBe(before.version);
  });

  it("ends two promotes at once with one consistent alias", async () => {
    const candidates = [story.images.second, await relabelled(story.images.second, session.repository)];
    const runs = await Promise.all(candidates.map((image) => session.promote(image, story.golden)));
    const succeeded = runs.filter((result) => result.exitCode === 0);
    expect(succeeded.length).toBeGreaterThan(0);
    const serving = await session.serving();
    expect(candidates.map((image) => image.digest)).toContain(serving.digest);
    expect(succeeded.map((result) => result.outputs.version)).toContain(serving.version);
    expect(serving.weights).toEqual({});
    expect((await session.classify("Whisk the eggs")).executedVersion).toBe(serving.version);
  });
  // Last: the re-train commits new artifacts to the clone, which promote reads (model-sha256).
  it("edits the PR's sticky comment in place when its train job runs again", async () => {
    const again = await session.pullRequest(2, "pull_request_synchronize", { golden: story.golden });
    await session.train(again);
    const comments = session.github.standIn.records.comments.filter((comment) => comment.issueNumber === 2);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.updates).toBe(1);
  }, 600_000);
});
