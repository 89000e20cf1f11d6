import { afterEach, describe, expect, test } from "vitest";
import type { ActionEnv } from "@textcat/action-shared/testing/action-env";
import { actionEnvFor } from "@textcat/action-shared/testing/action-env";
import { readInputs } from "../src/inputs.js";

const setupActionEnv = actionEnvFor("promote");

const DIGEST = `sha256:${"c".repeat(64)}`;
const BASE = { "function-name": "textcat", digest: DIGEST };
let env: ActionEnv | undefined;
afterEach(() => env?.restore());

function read(inputs: Record<string, string>) {
  env = setupActionEnv(inputs, { GITHUB_SHA: "" });
  return readInputs();
}

describe("promote inputs", () => {
  test("defaults mirror action.yml", () => {
    expect(read(BASE)).toEqual({
      functionName: "textcat",
      alias: "live",
      image: { kind: "digest", digest: DIGEST },
      ecrRepository: "",
      goldenRequests: "model/golden.json",
      gitSha: "",
      modelSha256: "",
      canaryWeight: 0,
      canaryMinutes: 5,
      alarmNames: [],
      provisionedConcurrency: 0,
      awsRegion: "",
      githubToken: "",
      environment: "production",
      dashboardUrl: "",
    });
  });

  test("dashboard-url: an https URL as given", () => {
    const url =
      "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards:name=textcat-prod";
    expect(read({ ...BASE, "dashboard-url": url }).dashboardUrl).toBe(url);
  });

  test.each([
    [
      { "function-name": "textcat", "image-uri": `repo@${DIGEST}` },
      { kind: "image-uri", image: { repositoryUri: "repo", digest: DIGEST } },
    ],
    [
      { "function-name": "textcat", "content-key": "abc123", "ecr-repository": "textcat" },
      { kind: "content-key", tag: "ck-abc123" },
    ],
  ])("image source %#", (inputs, image) => {
    expect(read(inputs).image).toEqual(image);
  });

  test("canary and alarms", () => {
    const inputs = read({
      ...BASE,
      "canary-weight": "10",
      "canary-minutes": "2.5",
      "alarm-names": "errors, throttles\np99",
    });
    expect(inputs).toMatchObject({
      canaryWeight: 10,
      canaryMinutes: 2.5,
      alarmNames: ["errors", "throttles", "p99"],
    });
  });

  test.each([
    [{ digest: DIGEST }, 'Input "function-name" is required'],
    [
      { "function-name": "textcat" },
      'Give exactly one of the inputs "digest", "image-uri", "content-key"; none was given',
    ],
    [{ ...BASE, "image-uri": `repo@${DIGEST}` }, "got digest and image-uri"],
    [{ "function-name": "textcat", digest: "latest" }, 'Input "digest" must be an image digest'],
    [
      { "function-name": "textcat", "image-uri": "repo:latest" },
      'Input "image-uri" must be <repository>@sha256',
    ],
    [
      { "function-name": "textcat", "content-key": "abc" },
      'Input "ecr-repository" is required with "content-key"',
    ],
    [{ ...BASE, "ecr-repository": "Bad Repo" }, 'Input "ecr-repository" is not an ECR repository name'],
    [{ ...BASE, "function-name": "my function" }, 'Input "function-name" is not a Lambda function name'],
    [{ ...BASE, alias: "42" }, 'Input "alias" must be letters'],
    [{ ...BASE, "canary-weight": "100" }, 'Input "canary-weight" must be a number between 0 and 99'],
    [{ ...BASE, "canary-minutes": "-1" }, 'Input "canary-minutes" must be a number between 0 and 20'],
    // longer than the deploy job (30 min) could hold: a killed job would leave the alias split
    [{ ...BASE, "canary-minutes": "120" }, 'Input "canary-minutes" must be a number between 0 and 20'],
    [{ ...BASE, "git-sha": "main" }, 'Input "git-sha" is not a commit SHA'],
    [{ ...BASE, "model-sha256": "abc" }, 'Input "model-sha256" must be 64 hex characters'],
    [{ ...BASE, "dashboard-url": "http://example.com" }, 'Input "dashboard-url" must be an https:// URL'],
    [{ ...BASE, "dashboard-url": 'https://x/"><script>' }, 'Input "dashboard-url" must be an https:// URL'],
  ])("rejects %j", (inputs, message) => {
    expect(() => read(inputs)).toThrow(message);
  });
});
