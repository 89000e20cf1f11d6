/**
 * The committed bundle, run the way the runner runs it (node dist/index.js, INPUT_*, GITHUB_OUTPUT),
 * in a real git repository, against a stand-in of the three GitHub REST endpoints it reads
 * (@actions/github takes GITHUB_API_URL as its base URL, as on GitHub Enterprise).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { runSync } from "@textcat/kit/process";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { CommitStatusView } from "@textcat/action-shared/gate-record";
import { artifactsSha256, gatePassedDescription } from "@textcat/action-shared/gate-record";
import type { ActionEnv } from "@textcat/action-shared/testing/action-env";
import { actionEnvFor } from "@textcat/action-shared/testing/action-env";
import { runBundle } from "@textcat/action-shared/testing/run-bundle";

const setupActionEnv = actionEnvFor("gate-check");

const statuses = new Map<string, CommitStatusView[]>();
const pulls = new Map<string, Array<{ number: number; commits: string[] }>>();
let server: Server;
let apiUrl = "";
let root: string;
let env: ActionEnv | undefined;

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = request.url ?? "";
    let body: unknown = [];
    let match = /\/repos\/octo\/textcat\/commits\/([0-9a-f]+)\/statuses/.exec(url);
    if (match) body = statuses.get(match[1]!) ?? [];
    match = /\/repos\/octo\/textcat\/commits\/([0-9a-f]+)\/pulls/.exec(url);
    if (match) body = (pulls.get(match[1]!) ?? []).map(({ number }) => ({ number }));
    match = /\/repos\/octo\/textcat\/pulls\/(\d+)\/commits/.exec(url);
    if (match) {
      const pull = [...pulls.values()].flat().find(({ number }) => number === Number(match[1]));
      body = (pull?.commits ?? []).map((sha) => ({ sha }));
    }
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const git = (...args: string[]) =>
  runSync("git", args, {
    cwd: root,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "a",
      GIT_AUTHOR_EMAIL: "a@x",
      GIT_COMMITTER_NAME: "a",
      GIT_COMMITTER_EMAIL: "a@x",
    },
  }).trim();

function commit(files: Record<string, string>, message: string, author?: string): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  git("add", "--all");
  git("commit", "--quiet", ...(author ? [`--author=${author}`] : []), "-m", message);
  return git("rev-parse", "HEAD");
}

const pipelinePass = (): CommitStatusView => ({
  context: "textcat/quality-gate",
  state: "success",
  description: gatePassedDescription(0.9, 0.88, artifactsSha256(join(root, "model/artifacts"))),
  creator: { login: "github-actions[bot]" },
});

let base = "";
beforeEach(() => {
  statuses.clear();
  pulls.clear();
  root = mkdtempSync(join(tmpdir(), "gate-check-"));
  git("init", "--quiet", "--initial-branch=main");
  base = commit({ "model/src/train.ts": "v1", "model/artifacts/model.onnx": "m1", "README.md": "r" }, "base");
});
afterEach(() => {
  env?.restore();
  rmSync(root, { recursive: true, force: true });
});

async function gateCheck(inputs: Record<string, string>) {
  env = setupActionEnv(
    { "github-token": "ghs_read", ...inputs },
    { GITHUB_API_URL: apiUrl, GITHUB_REPOSITORY: "octo/textcat" },
  );
  const result = await runBundle("gate-check", env, { cwd: root });
  return { ...result, outputs: env.outputs() };
}

describe("gate-check mode retrain (pr.yml's changes job)", () => {
  test("a commit authored as github-actions[bot] with hand-made artifacts is retrained", async () => {
    commit({ "model/src/train.ts": "v2" }, "change training");
    commit(
      { "model/artifacts/model.onnx": "hand-made" },
      "chore(model): update trained artifacts",
      "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>",
    );
    const { exitCode, outputs } = await gateCheck({ "base-sha": base });
    expect(exitCode).toBe(0);
    expect(outputs.retrain).toBe("true");
  });

  test("artifacts the pipeline's gate passed, then a docs-only push: no retrain", async () => {
    commit({ "model/src/train.ts": "v2" }, "change training");
    const judged = commit({ "model/artifacts/model.onnx": "trained" }, "artifacts");
    statuses.set(judged, [pipelinePass()]);
    commit({ "README.md": "docs" }, "docs");
    const { outputs } = await gateCheck({ "base-sha": base });
    expect(outputs.retrain).toBe("false");
    expect(outputs.reason).toContain(`passed these artifacts at ${judged.slice(0, 12)}`);
  });

  test("artifacts edited by hand after the gate passed are judged again", async () => {
    const judged = commit({ "model/artifacts/model.onnx": "trained" }, "artifacts");
    statuses.set(judged, [pipelinePass()]);
    commit({ "model/artifacts/model.onnx": "tweaked" }, "tweak");
    const { outputs } = await gateCheck({ "base-sha": base });
    expect(outputs.retrain).toBe("true");
  });

  test("a bad base-sha is one clear line", async () => {
    const { exitCode, errors } = await gateCheck({ "base-sha": "main" });
    expect(exitCode).toBe(1);
    expect(errors).toEqual(['Input "base-sha" must be a commit SHA with mode retrain, got "main"']);
  });
});

describe("gate-check mode deploy (deploy.yml, before promote)", () => {
  test("artifacts a fork committed, never judged by the pipeline: refused in one line", async () => {
    const forkCommit = commit({ "model/artifacts/model.onnx": "from a fork" }, "fork artifacts");
    const merged = commit({ "README.md": "merge" }, "Merge pull request #9");
    pulls.set(merged, [{ number: 9, commits: [forkCommit] }]);
    pulls.set(forkCommit, [{ number: 9, commits: [forkCommit] }]);
    const { exitCode, errors } = await gateCheck({ mode: "deploy" });
    expect(exitCode).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("were never passed by the quality gate");
  });

  test("artifacts the pipeline's gate passed in the merged pull request: allowed", async () => {
    const judged = commit({ "model/artifacts/model.onnx": "trained" }, "artifacts");
    statuses.set(judged, [pipelinePass()]);
    const squashed = commit({ "README.md": "squash" }, "squash merge");
    pulls.set(judged, [{ number: 3, commits: [judged] }]);
    const { exitCode, outputs } = await gateCheck({ mode: "deploy" });
    expect(exitCode).toBe(0);
    expect(outputs.reason).toBe(`the quality gate passed these artifacts at ${judged}`);
    expect(squashed).not.toBe(judged);
  });
});
