import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import type { ActionEnv } from "@textcat/action-shared/testing/action-env";
import { actionEnvFor } from "@textcat/action-shared/testing/action-env";
import { runBundle } from "@textcat/action-shared/testing/run-bundle";

const setupActionEnv = actionEnvFor("build-test-push");

let env: ActionEnv | undefined;
afterEach(() => env?.restore());

/** Answers every ECR call as AWS does for a repository that does not exist. */
let ecrStandIn: Server;
let ecrUrl = "";
beforeAll(async () => {
  ecrStandIn = createServer((request, response) => {
    request.resume();
    response.writeHead(400, { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "test" });
    response.end(
      JSON.stringify({
        __type: "RepositoryNotFoundException",
        message: "The repository with name 'textcat' does not exist",
      }),
    );
  });
  await new Promise<void>((resolve) => ecrStandIn.listen(0, "127.0.0.1", resolve));
  ecrUrl = `http://127.0.0.1:${(ecrStandIn.address() as AddressInfo).port}`;
});
afterAll(() => ecrStandIn.close());

describe("build-test-push bundle, run as the runner runs it", () => {
  test.each([
    [{}, 'Input "ecr-repository" is required'],
    [
      { "ecr-repository": "textcat", "aws-region": "mars" },
      'Input "aws-region" is not an AWS region name: "mars"',
    ],
  ])("inputs %j → exit 1 and one line: %s", async (inputs, message) => {
    env = setupActionEnv(inputs);
    const result = await runBundle("build-test-push", env);
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([message]);
    expect(result.stdout + result.stderr).not.toMatch(/^\s+at /m);
  });

  test("without the base image pin in the checkout: exit 1 and one line naming the file", async () => {
    env = setupActionEnv({ "ecr-repository": "textcat", "aws-region": "eu-west-1" });
    rmSync(join(env.dir, "service"), { recursive: true, force: true });
    const result = await runBundle("build-test-push", env);
    expect(result.exitCode).toBe(1);
    const pin = join(env.dir, "service", "base-image.pin");
    // The message carries its cause: why the file could not be read.
    expect(result.errors).toEqual([
      `cannot read the base image pin ${pin}: ENOENT: no such file or directory, open '${pin}'`,
    ]);
  });

  test("reaches ECR through AWS_ENDPOINT_URL_ECR and reports a missing repository in one line", async () => {
    env = setupActionEnv({ "ecr-repository": "textcat", "aws-region": "eu-west-1", "content-paths": "." });
    // The default base image comes from the pin file in the checkout (here: the bundle's working directory).
    mkdirSync(join(env.dir, "service"), { recursive: true });
    writeFileSync(
      join(env.dir, "service", "base-image.pin"),
      `public.ecr.aws/lambda/nodejs:22@sha256:${"a".repeat(64)}\n`,
    );
    const result = await runBundle("build-test-push", env, {
      extraEnv: { AWS_ENDPOINT_URL_ECR: ecrUrl, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" },
    });
    expect(result.errors).toEqual(['ECR repository "textcat" does not exist in eu-west-1']);
    expect(result.exitCode).toBe(1);
    expect(env.summary()).toContain("failed: nothing was pushed under the content key");
  });
});
