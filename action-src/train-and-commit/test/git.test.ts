import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { CommandResult, RunCommand } from "../../shared/src/exec.js";
import { runCommand } from "../../shared/src/exec.js";
import { Git } from "../src/git.js";
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
