import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { summarizeData } from "@textcat/model/data-check";
import { buildTinyModel } from "@textcat/model/testing/tiny-model";
import type { GitHubClient } from "@textcat/action-shared/github-context";
import type { ActionEnv } from "@textcat/action-shared/testing/action-env";
import { actionEnvFor } from "@textcat/action-shared/testing/action-env";
import { captureStdout } from "@textcat/action-shared/testing/capture-stdout";
import type { CacheApi } from "../src/dataset-cache.js";
import { artifactsSha256 } from "@textcat/action-shared/gate-record";
import { run } from "../src/main.js";
import type { RepoFixture } from "./repo-fixture.js";
import { createRepoFixture, pullRequestEnv } from "./repo-fixture.js";

const setupActionEnv = actionEnvFor("train-and-commit");

/** A stand-in trainer: `node fake-train.mjs <out> <accuracy> [exit code]` writes the tiny model's artifacts. */
const FAKE_TRAINER = `
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
const [out, accuracy, exitCode] = process.argv.slice(2);
if (exitCode) { console.error("loading data\\n" + (process.env.FAKE_ERROR ?? "error: no such dataset")); process.exit(Number(exitCode)); }
mkdirSync(out, { recursive: true });
copyFileSync(process.env.TINY_MODEL, out + "/model.onnx");
writeFileSync(out + "/metrics.json", JSON.stringify({ accuracy: Number(accuracy), macro_f1: Number(accuracy) - 0.02, baseline: { accuracy: 0.34 } }, null, 2) + "\\n");
writeFileSync(out + "/confusion-matrix.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>\\n");
if (process.env.DATA_SUMMARY) writeFileSync(out + "/data-summary.json", process.env.DATA_SUMMARY);
mkdirSync(process.env.TEXTCAT_CACHE_DIR, { recursive: true });
writeFileSync(process.env.TEXTCAT_CACHE_DIR + "/dataset.tar.gz", "archive");
`;
const GOLDEN = [
  { text: "bake it in the oven", label: "cooking" },
  { text: "the rocket reached orbit", label: "space" },
];

interface FakeComment {
  id: number;
  body: string;
}

function fakeGitHub(options: { refuse?: boolean } = {}) {
  const comments: FakeComment[] = [];
  const refuse = () => {
    throw Object.assign(new Error("Resource not accessible by integration"), { status: 403 });
  };
  const client = {
    paginate: async () => (options.refuse ? refuse() : comments),
    rest: {
      issues: {
        listComments: vi.fn(),
        createComment: vi.fn(async ({ body }: { body: string }) => {
          comments.push({ id: comments.length + 1, body });
          return {
            data: { html_url: `https://github.com/octo/textcat/pull/7#issuecomment-${comments.length}` },
          };
        }),
        updateComment: vi.fn(async ({ comment_id, body }: { comment_id: number; body: string }) => {
          comments.find((c) => c.id === comment_id)!.body = body;
          return { data: { html_url: `https://github.com/octo/textcat/pull/7#issuecomment-${comment_id}` } };
        }),
      },
      repos: { createCommitStatus: vi.fn(async () => ({ status: 201, data: {} })) },
    },
  };
  return {
    client: client as unknown as GitHubClient,
    comments,
    calls: client.rest.issues,
    statuses: client.rest.repos.createCommitStatus,
  };
}

function fakeCache(): CacheApi & { saved: string[]; restored: string[] } {
  const saved: string[] = [];
  const restored: string[] = [];
  return {
    saved,
    restored,
    isFeatureAvailable: () => true,
    restoreCache: async (_paths, key) => {
      restored.push(key);
      return saved.includes(key) ? key : undefined;
    },
    saveCache: async (_paths, key) => {
      saved.push(key);
      return 1;
    },
  };
}

let repo: RepoFixture;
let actionEnv: ActionEnv;
let printed: string[];
const cwd = process.cwd();
let tinyModelPath: string;
let scratch: RepoFixture;

beforeAll(() => {
  scratch = createRepoFixture({});
  tinyModelPath = join(scratch.root, "tiny.onnx");
  writeFileSync(tinyModelPath, buildTinyModel());
  writeFileSync(join(scratch.root, "fake-train.mjs"), FAKE_TRAINER);
});
afterAll(() => scratch.remove());

beforeEach(() => {
  repo = createRepoFixture({ "model/golden.json": JSON.stringify(GOLDEN) });
  printed = captureStdout();
});
afterEach(() => {
  vi.restoreAllMocks();
  process.chdir(cwd);
  actionEnv.restore();
  repo.remove();
});

async function runAction(
  inputs: Record<string, string>,
  options: {
    github?: ReturnType<typeof fakeGitHub>;
    cache?: CacheApi;
    fork?: boolean;
    headSha?: string;
    env?: Record<string, string>;
  } = {},
) {
  repo.writePullRequestEvent({ fork: options.fork, headSha: options.headSha });
  actionEnv = setupActionEnv(
    { "github-token": "ghs_secret", "train-command": trainCommand(0.9), ...inputs },
    { ...pullRequestEnv(repo), TINY_MODEL: tinyModelPath, ...options.env },
  );
  process.chdir(repo.work);
  const github = options.github ?? fakeGitHub();
  await run({ cache: options.cache ?? fakeCache(), createGitHubClient: () => github.client });
  return { outputs: actionEnv.outputs(), errors: printed.filter((l) => l.startsWith("::error::")), github };
}

function trainCommand(accuracy: number, exitCode?: number): string {
  return `node ${join(scratch.root, "fake-train.mjs")} model/artifacts ${accuracy}${exitCode ? ` ${exitCode}` : ""}`;
}

describe("train-and-commit run()", () => {
  test("first model on a PR: checks, commits, pushes to the PR branch and creates the sticky comment", async () => {
    const cache = fakeCache();
    const github = fakeGitHub();
    const { outputs, errors } = await runAction({}, { cache, github });
    expect(errors).toEqual([]);
    expect(process.exitCode).toBeUndefined();
    const pushed = repo.originSha("retrain");
    expect(outputs).toMatchObject({
      committed: "true",
      pushed: "true",
      "commit-sha": pushed,
      gate: "passed",
      accuracy: "0.9",
    });
    expect(outputs["macro-f1"]).toBe(String(0.9 - 0.02));
    expect(repo.git("log", "-1", "--format=%an <%ae>|%s", pushed)).toBe(
      "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>|chore(model): update trained artifacts",
    );
    expect(repo.git("show", "--name-only", "--format=", pushed).split("\n").sort()).toEqual([
      "model/artifacts/confusion-matrix.svg",
      "model/artifacts/metrics.json",
      "model/artifacts/model.onnx",
    ]);
    expect(github.comments).toHaveLength(1);
    const body = github.comments[0]!.body;
    expect(body).toContain("<!-- textcat-lambda:train-and-commit -->");
    expect(body).toContain("| Accuracy | — | 0.9000 | new |");
    expect(body).toContain(
      `https://github.com/octo/textcat/blob/${pushed}/model/artifacts/confusion-matrix.svg?raw=true`,
    );
    const key = "textcat-dataset-8f1b2514ca22a5ade8fbb9cfa5727df95fa587f4c87b786e15c759fa66d95610";
    expect(cache.restored).toEqual([key]);
    expect(cache.saved).toEqual([key]);
    expect(printed).toContain("::add-mask::ghs_secret\n");
    expect(actionEnv.summary()).toContain("train-and-commit: gate passed");
    expect(github.statuses).toHaveBeenCalledWith(
      expect.objectContaining({ sha: pushed, context: "textcat/quality-gate", state: "success" }),
    );
    // the status names the artifacts it passed, which gate-check reads to skip a retrain or allow a deploy
    const recorded = (github.statuses.mock.calls[0] as unknown as [{ description: string }])[0];
    expect(recorded.description).toContain(
      `artifacts sha256:${artifactsSha256(join(repo.work, "model/artifacts"))}`,
    );
  });

  test("the training command (the PR's code) sees no token: not the inputs, not the runner's", async () => {
    const dump = join(scratch.root, `env-${process.pid}.json`);
    const command = `node -e "require('fs').writeFileSync(process.argv[1], JSON.stringify(process.env))" ${dump}`;
    process.env.ACTIONS_RUNTIME_TOKEN = "runtime-secret"; // the runner gives it to every JavaScript action
    try {
      await runAction({ "train-command": command, "push-token": "ghs_pushonly" });
    } finally {
      delete process.env.ACTIONS_RUNTIME_TOKEN;
    }
    const seen = readFileSync(dump, "utf8");
    expect(seen).toContain("TEXTCAT_CACHE_DIR");
    expect(seen).not.toContain("ghs_secret");
    expect(seen).not.toContain("ghs_pushonly");
    expect(seen).not.toContain("runtime-secret");
  });

  test("unchanged artifacts: no commit, the same comment is updated", async () => {
    const github = fakeGitHub();
    await runAction({}, { github });
    actionEnv.restore();
    process.chdir(cwd);
    const head = repo.originSha("retrain");
    const { outputs, errors } = await runAction({}, { github });
    expect(errors).toEqual([]);
    expect(outputs).toMatchObject({
      committed: "false",
      pushed: "false",
      "commit-sha": head,
      gate: "passed",
    });
    expect(repo.originSha("retrain")).toBe(head);
    expect(github.comments).toHaveLength(1);
    expect(github.calls.updateComment).toHaveBeenCalledTimes(1);
    expect(github.comments[0]!.body).toContain("Artifacts unchanged");
  });

  test("a drop beyond the allowed one fails the gate: comment written, nothing committed", async () => {
    repo.commitOnMain(
      { "model/artifacts/metrics.json": JSON.stringify({ accuracy: 0.95, macro_f1: 0.94 }) },
      "base model",
    );
    const before = repo.originSha("retrain");
    const github = fakeGitHub();
    const { outputs, errors } = await runAction({}, { github });
    expect(errors).toEqual([
      "::error::Quality gate failed: accuracy 0.9000 dropped 0.0500 below the base model's 0.9500 (max allowed drop 0.0100)\n",
    ]);
    expect(process.exitCode).toBe(1);
    expect(outputs).toMatchObject({ committed: "false", gate: "failed", accuracy: "0.9" });
    expect(repo.originSha("retrain")).toBe(before);
    expect(github.comments[0]!.body).toContain("| Accuracy | 0.9500 | 0.9000 | −0.0500 |");
    expect(github.comments[0]!.body).toContain("### ❌ Model quality gate failed");
    expect(github.statuses).toHaveBeenCalledWith(
      expect.objectContaining({ sha: before, context: "textcat/quality-gate", state: "failure" }),
    );
  });

  test("a fork PR: committed locally, not pushed, a notice instead of a failure; comment refusal is a notice", async () => {
    const before = repo.originSha("retrain");
    const { outputs, errors } = await runAction({}, { fork: true, github: fakeGitHub({ refuse: true }) });
    expect(errors).toEqual([]);
    expect(process.exitCode).toBeUndefined();
    expect(outputs).toMatchObject({ committed: "true", pushed: "false", gate: "passed" });
    expect(repo.originSha("retrain")).toBe(before);
    expect(printed.some((l) => l.startsWith("::notice::This pull request comes from a fork"))).toBe(true);
    expect(printed.some((l) => l.startsWith("::notice::PR comment skipped: pull requests from forks"))).toBe(
      true,
    );
  });

  test("a failing training command fails the step with its last error line and touches nothing", async () => {
    const github = fakeGitHub();
    const before = repo.originSha("retrain");
    const { errors } = await runAction({ "train-command": trainCommand(0.9, 3) }, { github });
    expect(errors).toEqual(["::error::training failed (exit 3): error: no such dataset\n"]);
    expect(repo.originSha("retrain")).toBe(before);
    expect(github.comments).toEqual([]);
  });

  test("a data check that fails stops the step with the trainer's one error line, before any commit", async () => {
    const github = fakeGitHub();
    const before = repo.originSha("retrain");
    const message =
      "error: data check failed (config default): 3 empty or whitespace-only documents (train 3, test 0; limit 0)";
    const { errors } = await runAction(
      { "train-command": trainCommand(0.9, 2) },
      { github, env: { FAKE_ERROR: message } },
    );
    expect(errors).toEqual([`::error::training failed (exit 2): ${message}\n`]);
    expect(repo.originSha("retrain")).toBe(before);
    expect(github.comments).toEqual([]);
  });

  test("the data summary is committed and compared with the base's in the comment's Data section", async () => {
    const docs = (label: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        label,
        text: `${label} post ${i} ${"about things ".repeat(5)}`,
      }));
    const summary = (space: number) =>
      summarizeData({
        train: [...docs("space", space), ...docs("cooking", 3)],
        test: docs("space", 1),
        source: "t",
        sha256: "0".repeat(64),
      });
    repo.commitOnMain({ "model/artifacts/data-summary.json": JSON.stringify(summary(2)) }, "base data");
    const github = fakeGitHub();
    const { errors } = await runAction({}, { github, env: { DATA_SUMMARY: JSON.stringify(summary(4)) } });
    expect(errors).toEqual([]);
    const pushed = repo.originSha("retrain");
    expect(repo.git("show", "--name-only", "--format=", pushed)).toContain(
      "model/artifacts/data-summary.json",
    );
    const body = github.comments[0]!.body;
    expect(body).toContain("#### Data");
    expect(body).toContain("- 7 training and 1 test documents, 2 labels.");
    expect(body).toContain("| space | 4 | 1 | +2 | ±0 |");
    expect(actionEnv.summary()).toContain("7 train / 1 test documents, 2 labels");
  });

  test("a golden example answered wrong fails the serving check before any commit", async () => {
    writeFileSync(
      join(repo.work, "wrong-golden.json"),
      JSON.stringify([{ text: "the rocket reached orbit", label: "cooking" }]),
    );
    const { errors } = await runAction({ "golden-examples": "wrong-golden.json" });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(
      '1 of 1 golden examples answered wrong: "the rocket reached orbit" → space (expected cooking)',
    );
    expect(repo.git("status", "--porcelain")).toContain("model/artifacts/");
    expect(repo.git("log", "-1", "--format=%s")).toBe("initial");
  });

  test("the PR's synthetic merge commit is refused before training", async () => {
    repo.commitOnMain({ "other.txt": "x" }, "main moves on");
    writeFileSync(join(repo.work, "pr-change.txt"), "y");
    repo.git("add", "pr-change.txt");
    repo.git("commit", "--quiet", "-m", "PR change");
    const headSha = repo.git("rev-parse", "retrain");
    repo.git("checkout", "--quiet", "--detach", "main");
    repo.git("merge", "--quiet", "--no-ff", "--no-edit", headSha);
    const github = fakeGitHub();
    const { errors } = await runAction({}, { headSha, github });
    expect(errors).toEqual([
      "::error::HEAD is the pull request's merge commit; check out the PR branch instead " +
        "(actions/checkout with ref: ${{ github.event.pull_request.head.ref }})\n",
    ]);
    expect(github.comments).toEqual([]);
    expect(repo.git("status", "--porcelain")).toBe("");
    expect(actionEnv.summary()).toBe("");
  });
});
