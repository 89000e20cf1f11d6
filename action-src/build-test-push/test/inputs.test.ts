import { afterEach, describe, expect, test } from "vitest";
import type { ActionEnv } from "@textcat/action-shared/testing/action-env";
import { actionEnvFor } from "@textcat/action-shared/testing/action-env";
import { readInputs } from "../src/inputs.js";

const setupActionEnv = actionEnvFor("build-test-push");

let env: ActionEnv | undefined;
afterEach(() => env?.restore());

describe("readInputs", () => {
  test("defaults mirror action.yml", () => {
    env = setupActionEnv({ "ecr-repository": "textcat-lambda" }, { AWS_REGION: "eu-west-1" });
    expect(readInputs()).toEqual({
      mode: "build",
      ecrRepository: "textcat-lambda",
      imageTagPrefix: "ck-",
      baseImage: "",
      baseImagePin: "service/base-image.pin",
      contentPaths: [],
      contentList: "service/image-context.json",
      awsRegion: "eu-west-1",
      githubToken: "",
    });
  });

  test.each([
    [{ "ecr-repository": "team/textcat" }, { ecrRepository: "team/textcat" }],
    [{ "image-tag-prefix": "content-" }, { imageTagPrefix: "content-" }],
    [
      { "content-paths": "service/\nmodel/artifacts/model.onnx\n" },
      { contentPaths: ["service/", "model/artifacts/model.onnx"] },
    ],
    [{ "aws-region": "us-east-2" }, { awsRegion: "us-east-2" }],
    [{ mode: "lookup" }, { mode: "lookup" }],
  ])("%j → %j", (inputs, expected) => {
    env = setupActionEnv({ "ecr-repository": "textcat-lambda", ...inputs }, { AWS_REGION: "eu-west-1" });
    expect(readInputs()).toMatchObject(expected);
  });

  test.each([
    [{ "ecr-repository": "" }, 'Input "ecr-repository" is required'],
    [{ mode: "push" }, 'Input "mode" must be one of build, lookup, got "push"'],
    [
      { "ecr-repository": "Textcat" },
      'Input "ecr-repository" must be an ECR repository name like "textcat-lambda", got "Textcat"',
    ],
    [
      { "ecr-repository": "123.dkr.ecr.eu-west-1.amazonaws.com/textcat" },
      'Input "ecr-repository" must be an ECR repository name like "textcat-lambda", got "123.dkr.ecr.eu-west-1.amazonaws.com/textcat"',
    ],
    [
      { "image-tag-prefix": "ck:" },
      'Input "image-tag-prefix" must be a Docker tag prefix (letters, digits, _ . -), got "ck:"',
    ],
    [{ "base-image": "node 22" }, 'Input "base-image" must be an image reference, got "node 22"'],
    [{ "base-image-pin": "../base.pin" }, 'Input "base-image-pin" must be a path inside the repository'],
    [{ "aws-region": "mars" }, 'Input "aws-region" is not an AWS region name: "mars"'],
  ])("%j fails: %s", (inputs, message) => {
    env = setupActionEnv({ "ecr-repository": "textcat-lambda", ...inputs }, { AWS_REGION: "eu-west-1" });
    expect(() => readInputs()).toThrow(message);
  });

  test("without aws-region or AWS_REGION the error says what to set", () => {
    env = setupActionEnv({ "ecr-repository": "textcat-lambda" });
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    expect(() => readInputs()).toThrow('Input "aws-region" is required (or set AWS_REGION)');
  });
});
