/**
 * Each GitHub role is granted exactly what the code its jobs run can call: the AWS SDK commands reachable
 * from the actions' entry points, the registry calls `docker push` makes, and nothing else. The
 * stand-in (tools/local-aws) enforces these grants on every call; tools/pipeline-story/test/e2e compares them with what the
 * story actually used.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  ECR_DEPLOY_ACTIONS,
  ECR_PUSH_ACTIONS,
  LAMBDA_DEPLOY_ACTIONS,
  LAMBDA_PROVISIONED_ACTIONS,
} from "../src/github-roles.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const SERVICES: Record<string, string> = { ecr: "ecr", lambda: "lambda", cloudwatch: "cloudwatch" };
/** SDK commands whose IAM action has another name. */
const RENAMED: Record<string, string> = { "lambda:Invoke": "lambda:InvokeFunction" };

/** The IAM actions of every AWS SDK command reachable by imports from an action's entry point. */
export function sdkActions(action: string): Set<string> {
  const seen = new Set<string>();
  const actions = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, "utf8");
    for (const match of source.matchAll(
      /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*"@aws-sdk\/client-([a-z]+)"/g,
    )) {
      const service = SERVICES[match[2]!];
      if (!service) continue;
      for (const name of match[1]!.split(",").map((part) => part.trim().replace(/^type\s+/, ""))) {
        const command = /^([A-Z]\w*)Command$/.exec(name)?.[1];
        if (command && new RegExp(`new ${name}\\b`).test(source)) {
          const iam = `${service}:${command}`;
          actions.add(RENAMED[iam] ?? iam);
        }
      }
    }
    for (const match of source.matchAll(/from\s*"(\.{1,2}\/[^"]+)\.js"/g)) {
      const next = path.resolve(path.dirname(file), `${match[1]}.ts`);
      if (existsSync(next)) visit(next);
    }
    // Other packages of the repository, through their exports.
    for (const match of source.matchAll(/from\s*"(@textcat\/[^"]+)"/g)) {
      visit(createRequire(file).resolve(match[1]!));
    }
  };
  visit(path.join(root, "action-src", action, "src/index.ts"));
  return actions;
}

/**
 * `docker push` to ECR: "ecr:CompleteLayerUpload, ecr:UploadLayerPart, ecr:InitiateLayerUpload,
 * ecr:BatchCheckLayerAvailability, ecr:PutImage" and "ecr:BatchGetImage"
 * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push.html). These go to the
 * registry, not the API the stand-in serves, so only this test holds them.
 */
const DOCKER_PUSH = [
  "ecr:BatchCheckLayerAvailability",
  "ecr:BatchGetImage",
  "ecr:CompleteLayerUpload",
  "ecr:InitiateLayerUpload",
  "ecr:PutImage",
  "ecr:UploadLayerPart",
];
/**
 * `docker pull` of the reused digest that deploy.yml re-tests (its image job runs with the push role):
 * pulling needs "the ecr:BatchGetImage, ecr:GetDownloadUrlForLayer, and ecr:GetAuthorizationToken APIs"
 * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/ECR_on_ECS.html).
 */
const DOCKER_PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];
/**
 * UpdateFunctionCode with an image: "For a function defined as a container image, the user permission to
 * access the image must be configured in Amazon ECR" (https://docs.aws.amazon.com/lambda/latest/dg/permissions-user-function.html);
 * kept with BatchGetImage so the deploying role can read the image it points Lambda at.
 */
const DEPLOY_IMAGE_ACCESS = ["ecr:GetDownloadUrlForLayer"];

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

describe("least privilege: grants equal what the jobs' code calls", () => {
  it("push role (build-test-push, deploy's re-test): its SDK calls plus docker push and pull", () => {
    const needed = [...sdkActions("build-test-push"), ...DOCKER_PUSH, ...DOCKER_PULL];
    expect(sorted(["ecr:GetAuthorizationToken", ...ECR_PUSH_ACTIONS])).toEqual(sorted(needed));
  });

  // The provisioned-concurrency actions are granted only with -c provisionedConcurrency > 0, the only
  // case in which promote calls them; textcat-stack.test.ts checks that switch.
  it("deploy role (promote, rollback): their SDK calls", () => {
    const needed = [...sdkActions("promote"), ...sdkActions("rollback"), ...DEPLOY_IMAGE_ACCESS];
    const granted = [
      ...ECR_DEPLOY_ACTIONS,
      ...LAMBDA_DEPLOY_ACTIONS,
      ...LAMBDA_PROVISIONED_ACTIONS,
      "cloudwatch:DescribeAlarms",
    ];
    expect(sorted(granted)).toEqual(sorted(needed));
  });

  it("finds the calls (so an empty grant list cannot pass)", () => {
    expect(sdkActions("rollback")).toContain("lambda:UpdateAlias");
    expect(sdkActions("promote")).toContain("cloudwatch:DescribeAlarms");
    expect(sdkActions("build-test-push")).not.toContain("lambda:UpdateAlias");
  });
});
