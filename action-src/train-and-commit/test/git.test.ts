import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { CommandResult, RunCommand } from "@textcat/action-shared/exec";
import { runCommand } from "@textcat/action-shared/exec";
import { Git, pushAuthEnv } from "../src/git.js";
import type { RepoFixture } from "./repo-fixture.js";
import { createRepoFixture } from "./repo-fixture.js";

let repo: RepoFixture;
beforeEach(() => {
  repo = createRepoFixture({ "model/artifacts/metrics.json": '{"accuracy":0.9}' });
});
afterEach(() => repo.remove());

const inRepo: RunCommand = (command, args, options) =>
  runCommand(command, args, { ...options, cwd: repo.work });

describe("Git.readFileAtRef", () => {
  test("a file at a ref, or undefined when the ref has no such file", async () => {
    const git = new Git(inRepo);
    expect(await git.readFileAtRef("main", "model/artifacts/metrics.json")).toBe('{"accuracy":0.9}');
    expect(await git.readFileAtRef("main", "model/artifacts/absent.json")).toBeUndefined();
  });

  test("a ref that is not in the clone (even after a fetch) is an error, not 'first model'", async () => {
    const git = new Git(inRepo);
    await expect(git.readFileAtRef("f".repeat(40), "model/artifacts/metrics.json")).rejects.toThrow(
      `base ref "${"f".repeat(40)}" is not in this clone and could not be fetched; check out with fetch-depth: 0 or set base-ref`,
    );
  });
});

describe("Git.push", () => {
  const failingPush =
    (stderr: string): RunCommand =>
    async (): Promise<CommandResult> => ({ exitCode: 1, stdout: "", stderr });

  test.each([
    [
      "remote: Permission to octo/textcat.git denied to github-actions[bot].\nfatal: unable to access 'https://github.com/octo/textcat/': The requested URL returned error: 403",
      true,
    ],
    ["remote: Write access to repository not granted.\nfatal: unable to access", true],
    [
      " ! [rejected]        HEAD -> retrain (fetch first)\nerror: failed to push some refs to 'origin'",
      false,
    ],
  ])("%j → permission denied: %s", async (stderr, permissionDenied) => {
    const result = await new Git(failingPush(stderr)).push("retrain");
    expect(result).toMatchObject({ ok: false, permissionDenied });
  });

  test("a real push to origin moves the branch", async () => {
    const git = new Git(inRepo);
    repo.git("commit", "--quiet", "--allow-empty", "-m", "more");
    expect(await git.push("retrain")).toEqual({ ok: true });
    expect(repo.originSha("retrain")).toBe(repo.git("rev-parse", "HEAD"));
  });
});

describe("the push credentials", () => {
  test("reach the git push process through its environment only, with hooks off", async () => {
    const seen: Array<{ args: string[]; env?: Record<string, string> }> = [];
    const recording: RunCommand = async (_command, args = [], options = {}) => {
      seen.push({ args, env: options.env });
      return { exitCode: 0, stdout: "", stderr: "" };
    };
    await new Git(recording).push("retrain", { token: "ghs_push", serverUrl: "https://github.com" });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.args).toEqual(["push", "--no-verify", "origin", "HEAD:refs/heads/retrain"]);
    expect(seen[0]!.args.join(" ")).not.toContain("ghs_push");
    expect(seen[0]!.env).toEqual(pushAuthEnv({ token: "ghs_push", serverUrl: "https://github.com" }));
  });

  test("are the header actions/checkout would have persisted, keyed to the server's origin", () => {
    const env = pushAuthEnv({ token: "ghs_push", serverUrl: "https://github.example.com/" });
    expect(env).toEqual({
      GIT_CONFIG_COUNT: "2",
      GIT_CONFIG_KEY_0: "http.https://github.example.com/.extraheader",
      GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${Buffer.from("x-access-token:ghs_push").toString("base64")}`,
      GIT_CONFIG_KEY_1: "core.hooksPath",
      GIT_CONFIG_VALUE_1: "/dev/null",
    });
  });

  test("a real push with them leaves nothing in the checkout's git config and runs no pre-push hook", async () => {
    repo.git("commit", "--quiet", "--allow-empty", "-m", "more");
    const hook = join(repo.work, ".git", "hooks", "pre-push");
    writeFileSync(hook, "#!/bin/sh\necho hook-ran >&2\nexit 1\n", { mode: 0o755 });
    const result = await new Git(inRepo).push("retrain", {
      token: "ghs_push",
      serverUrl: "https://github.com",
    });
    expect(result).toEqual({ ok: true });
    expect(readFileSync(join(repo.work, ".git", "config"), "utf8")).not.toMatch(/extraheader|ghs_push/);
  });
});
