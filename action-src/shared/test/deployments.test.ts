import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import type { GitHubClient } from "../src/github-context.js";
import { repoContext } from "../src/github-context.js";
import { recordDeployment } from "../src/deployments.js";
import type { ActionEnv } from "./action-env.js";
import { setupActionEnv } from "./action-env.js";
import { captureStdout } from "./capture-stdout.js";

function fakeClient(createDeployment = vi.fn(async () => ({ status: 201, data: { id: 77 } }))) {
  const createDeploymentStatus = vi.fn(async () => ({ status: 201, data: {} }));
  const client = { rest: { repos: { createDeployment, createDeploymentStatus } } } as unknown as GitHubClient;
  return { client, createDeployment, createDeploymentStatus };
}

const repo = { owner: "octo", repo: "textcat", serverUrl: "https://github.com", runUrl: "https://run/1" };
let env: ActionEnv;
beforeEach(() => {
  env = setupActionEnv({});
});
afterEach(() => env.restore());

describe("recordDeployment", () => {
  test("creates a deployment and then its statuses", async () => {
    const fake = fakeClient();
    const record = await recordDeployment({
      token: "t",
      environment: "production",
      ref: "abc123",
      description: "digest sha256:1",
      client: fake.client,
      repo,
    });
    await record.setStatus("success", "version 7 is live");
    expect(record.id).toBe(77);
    expect(fake.createDeployment).toHaveBeenCalledWith(
      expect.objectContaining({ owner: "octo", repo: "textcat", ref: "abc123", environment: "production" }),
    );
    expect(fake.createDeploymentStatus).toHaveBeenCalledWith(
      expect.objectContaining({
        deployment_id: 77,
        state: "success",
        log_url: "https://run/1",
        auto_inactive: true,
      }),
    );
  });

  test.each([
    ["no token", "", repo],
    ["no repository", "t", undefined],
  ])("%s → nothing recorded, with a notice", async (_case, token, repoContextValue) => {
    delete process.env.GITHUB_REPOSITORY;
    const fake = fakeClient();
    const record = await recordDeployment({
      token,
      environment: "production",
      ref: "abc",
      description: "d",
      client: fake.client,
      repo: repoContextValue,
    });
    await record.setStatus("success", "done");
    expect(record.id).toBeUndefined();
    expect(fake.createDeployment).not.toHaveBeenCalled();
    expect(fake.createDeploymentStatus).not.toHaveBeenCalled();
  });

  test("an API refusal is a warning, not a failure", async () => {
    const refused = vi.fn(async () => {
      throw Object.assign(new Error("Resource not accessible by integration"), { status: 403 });
    });
    const fake = fakeClient(refused);
    const written = captureStdout();
    const record = await recordDeployment({
      token: "t",
      environment: "production",
      ref: "abc",
      description: "d",
      client: fake.client,
      repo,
    });
    vi.restoreAllMocks();
    const printed = written.join("");
    expect(record.id).toBeUndefined();
    expect(printed).toContain(
      "::warning::GitHub deployment not recorded: Resource not accessible by integration",
    );
    expect(process.exitCode).toBeUndefined();
  });
});

describe("repoContext", () => {
  test.each([
    [
      { GITHUB_REPOSITORY: "octo/textcat", GITHUB_RUN_ID: "9" },
      "https://github.com/octo/textcat/actions/runs/9",
    ],
    [{ GITHUB_REPOSITORY: "octo/textcat", GITHUB_SERVER_URL: "https://ghe.example" }, undefined],
  ])("%j", (variables, runUrl) => {
    expect(repoContext(variables)).toMatchObject({ owner: "octo", repo: "textcat" });
    expect(repoContext(variables)?.runUrl).toBe(runUrl);
  });

  test.each([{}, { GITHUB_REPOSITORY: "" }, { GITHUB_REPOSITORY: "a/b/c" }])(
    "%j → undefined",
    (variables) => {
      expect(repoContext(variables)).toBeUndefined();
    },
  );
});
