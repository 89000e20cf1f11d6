/**
 * The retrained model's push through the stand-in's smart-HTTP endpoint, made by train-and-commit's
 * own Git class (the token in an `http.<server>/.extraheader`, as actions/checkout persists it):
 * `contents: write` lands the commit in the bare repository; a read-only token, as a fork's pull
 * request gets, is refused the way GitHub refuses it.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { exec } from "@textcat/kit/process";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCommand, type RunCommand } from "@textcat/action-shared/exec";
import { Git, pushAuthEnv } from "@textcat/action-train-and-commit/git";
import { NAME, OWNER, startFixture, type Fixture } from "./github-fixture.js";
let f: Fixture;
let git: Git;

beforeAll(async () => {
  f = await startFixture();
  f.commit({ "README.md": "r" }, "base");
  f.publish("main");
  f.git(["remote", "add", "origin", f.gh.gitUrl]);
  const inRepo: RunCommand = (command, args, options) =>
    runCommand(command, args, { ...options, cwd: f.root, silent: true });
  git = new Git(inRepo);
});
afterAll(() => f.close());

/** The branch's commit in the bare repository, "" when it has no such branch. */
function bareHead(branch: string): string {
  try {
    return f.git(["--git-dir", f.bare, "rev-parse", "--verify", "--quiet", `refs/heads/${branch}`]);
  } catch {
    return "";
  }
}

/** git itself, with the token the way the Git class hands it over; resolves with its stderr. */
async function rawGit(args: string[], token: string): Promise<{ code: number; stderr: string }> {
  const { code, stderr } = await exec("git", args, {
    cwd: f.root,
    env: { ...process.env, GIT_TERMINAL_PROMPT: "0", ...pushAuthEnv({ token, serverUrl: f.gh.serverUrl }) },
    quiet: true,
  });
  return { code, stderr };
}

describe("git push through the stand-in", () => {
  test("contents: write: the commit lands in the bare repository", async () => {
    writeFileSync(join(f.root, "model-artifacts.txt"), "retrained");
    const sha = await git.commitDir("model-artifacts.txt", "chore(model): update trained artifacts");
    const token = f.gh.issueToken({ permissions: { contents: "write" }, jobName: "train" });
    const result = await git.push("retrain-write", { token, serverUrl: f.gh.serverUrl });
    expect(result).toEqual({ ok: true });
    expect(bareHead("retrain-write")).toBe(sha);
    expect(f.gh.records.requests.filter((r) => r.operation === "git-receive-pack").at(-1)).toMatchObject({
      status: 200,
      jobName: "train",
    });
  });

  test("a fork's token (contents: write declared, read granted) is refused as GitHub refuses it", async () => {
    f.commit({ "model/m.txt": "fork" }, "fork artifacts");
    const token = f.gh.issueToken({ permissions: { contents: "write" }, fork: true });
    const result = await git.push("retrain-fork", { token, serverUrl: f.gh.serverUrl });
    expect(result).toMatchObject({ ok: false, permissionDenied: true });
    expect(result.ok ? "" : result.message).toContain("The requested URL returned error: 403");
    const raw = await rawGit(["push", "origin", "HEAD:refs/heads/retrain-fork"], token);
    expect(raw.stderr).toContain(`remote: Permission to ${OWNER}/${NAME}.git denied to github-actions[bot].`);
    expect(bareHead("retrain-fork")).toBe("");
  });

  test("contents: read fetches but cannot push", async () => {
    const token = f.gh.issueToken({ permissions: { contents: "read" } });
    const fetched = await rawGit(["fetch", "--quiet", "origin", "main"], token);
    expect(fetched.code).toBe(0);
    expect(f.git(["rev-parse", "FETCH_HEAD"])).toBe(bareHead("main"));
    const pushed = await rawGit(["push", "origin", "HEAD:refs/heads/retrain-read"], token);
    expect(pushed.code).not.toBe(0);
    expect(bareHead("retrain-read")).toBe("");
  });

  test("no contents permission: even a fetch is refused", async () => {
    const token = f.gh.issueToken({ permissions: { statuses: "write" } });
    const fetched = await rawGit(["fetch", "--quiet", "origin", "main"], token);
    expect(fetched.code).not.toBe(0);
    expect(fetched.stderr).toContain("The requested URL returned error: 403");
  });

  test("a token the stand-in never issued is 401 with GitHub's message", async () => {
    const pushed = await rawGit(["push", "origin", "HEAD:refs/heads/retrain-bad"], "ghs_not-issued");
    expect(pushed.code).not.toBe(0);
    expect(f.gh.records.requests.at(-1)).toMatchObject({
      status: 401,
      message: "Invalid username or token. Password authentication is not supported for Git operations.",
    });
    expect(bareHead("retrain-bad")).toBe("");
  });
});
