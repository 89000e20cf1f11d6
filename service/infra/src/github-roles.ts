import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";
import type { GithubRepository } from "./config.js";
import { GITHUB_OIDC_ISSUER, STS_AUDIENCE } from "./names.js";

export interface GithubRolesProps {
  /** Only the stage that owns the image repository has a push role; undefined: none. */
  pushRoleName: string | undefined;
  deployRoleName: string;
  github: GithubRepository;
  githubEnvironment: string;
  trustMainBranch: boolean;
  /** Import the account's provider (there is one per account) instead of creating it. */
  oidcProviderArn: string | undefined;
  repositoryArn: string;
  functionArn: string;
  /** > 0: promote warms new versions, so the deploy role may manage their provisioned concurrency. */
  provisionedConcurrency: number;
  functionName: string;
}

type Repository = GithubRolesProps["github"];

/** The part of the OIDC subject before the context: `repo:<owner>@<id>/<repo>@<id>` or `repo:<owner>/<repo>`. */
export function subjectPrefix(github: Repository): string {
  return github.subject === "immutable"
    ? `repo:${github.owner}@${github.ownerId}/${github.repo}@${github.repoId}`
    : `repo:${github.owner}/${github.repo}`;
}

const subject = (github: Repository, claim: string) => `${subjectPrefix(github)}:${claim}`;

/** Jobs that build and push images: same-repository PRs (forks get no OIDC token) and pushes to main. */
export function pushSubjects(github: Repository): string[] {
  return [subject(github, "pull_request"), subject(github, "ref:refs/heads/main")];
}

/** Jobs that move the live alias: the stage's GitHub environment (and main, where the stage allows it). */
export function deploySubjects(
  props: Pick<GithubRolesProps, "github" | "githubEnvironment" | "trustMainBranch">,
) {
  const subjects = [subject(props.github, `environment:${props.githubEnvironment}`)];
  if (props.trustMainBranch) subjects.unshift(subject(props.github, "ref:refs/heads/main"));
  return subjects;
}

/**
 * ECR actions build-test-push needs: find the repository and an image by tag (its SDK calls) and
 * `docker push` (the layer uploads, PutImage, BatchGetImage); plus `docker pull` of a reused digest,
 * which deploy.yml re-tests before promote trusts it (GetDownloadUrlForLayer).
 * test/least-privilege.test.ts keeps this list equal to what the code calls.
 */
export const ECR_PUSH_ACTIONS = [
  "ecr:BatchCheckLayerAvailability",
  "ecr:BatchGetImage",
  "ecr:CompleteLayerUpload",
  "ecr:DescribeImages",
  "ecr:DescribeRepositories",
  "ecr:GetDownloadUrlForLayer",
  "ecr:InitiateLayerUpload",
  "ecr:PutImage",
  "ecr:UploadLayerPart",
];

/** ECR actions promote needs: resolve a digest or content key, and tag what it deploys `deployed-*` (PutImage). */
export const ECR_DEPLOY_ACTIONS = [
  "ecr:BatchGetImage",
  "ecr:DescribeImages",
  "ecr:DescribeRepositories",
  "ecr:GetDownloadUrlForLayer",
  "ecr:PutImage",
];

/** Lambda actions promote and rollback need; no CreateFunction, DeleteFunction or configuration changes. */
export const LAMBDA_DEPLOY_ACTIONS = [
  "lambda:CreateAlias",
  "lambda:GetAlias",
  "lambda:GetFunction",
  "lambda:GetFunctionConfiguration",
  "lambda:InvokeFunction",
  "lambda:PublishVersion",
  "lambda:UpdateAlias",
  "lambda:UpdateFunctionCode",
];

/**
 * Only with provisioned concurrency on: promote puts it on the new version, polls it until READY and deletes
 * the old version's. Action names and their resource type (function, qualified ARN) from
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html.
 */
export const LAMBDA_PROVISIONED_ACTIONS = [
  "lambda:DeleteProvisionedConcurrencyConfig",
  "lambda:GetProvisionedConcurrencyConfig",
  "lambda:PutProvisionedConcurrencyConfig",
];

/**
 * GitHub's OIDC provider and the two roles the workflows assume: no IAM user, no access keys.
 * - push role (only in the stage that owns the image repository): PR and main jobs push images to that one
 *   repository; it cannot touch Lambda, so a PR branch (whose workflow file its author controls) can never
 *   deploy.
 * - deploy role: only jobs in the stage's GitHub environment (protected with reviewers for production) may
 *   update, publish, invoke and alias this one function and read its canary alarms.
 * Neither can run CloudFormation or IAM: the workflows never change infrastructure.
 */
export class GithubRoles extends Construct {
  readonly provider: iam.IOidcProvider;
  readonly pushRole: iam.Role | undefined;
  readonly deployRole: iam.Role;

  constructor(scope: Construct, id: string, props: GithubRolesProps) {
    super(scope, id);
    if (props.oidcProviderArn === undefined) {
      const provider = new iam.OidcProviderNative(this, "GithubOidcProvider", {
        url: `https://${GITHUB_OIDC_ISSUER}`,
        clientIds: [STS_AUDIENCE],
      });
      // There is one provider per account and URL, and other stages (-c oidcProviderArn=...) and other
      // repositories trust it: destroying this stage must not take it with it.
      provider.applyRemovalPolicy(RemovalPolicy.RETAIN);
      this.provider = provider;
    } else {
      this.provider = iam.OidcProviderNative.fromOidcProviderArn(
        this,
        "GithubOidcProvider",
        props.oidcProviderArn,
      );
    }
    const repository = `${props.github.owner}/${props.github.repo}`;

    if (props.pushRoleName !== undefined) this.pushRole = this.createPushRole(props, props.pushRoleName);

    this.deployRole = this.githubRole("DeployRole", props.deployRoleName, deploySubjects(props), {
      description: `GitHub Actions of ${repository} (environment ${props.githubEnvironment}) deploy one function`,
    });
    for (const statement of [
      new iam.PolicyStatement({
        sid: "ReadAndTagImages",
        actions: ECR_DEPLOY_ACTIONS,
        resources: [props.repositoryArn],
      }),
      new iam.PolicyStatement({
        sid: "DeployThisFunction",
        actions: LAMBDA_DEPLOY_ACTIONS,
        // The function itself and its qualifiers (versions and aliases).
        resources: [props.functionArn, `${props.functionArn}:*`],
      }),
      new iam.PolicyStatement({
        sid: "ReadCanaryAlarms",
        // The canary asks for AlarmTypes [MetricAlarm, CompositeAlarm] (action-src/promote/src/canary.ts):
        // "To use this operation and return information about composite alarms, you must be signed on
        // with the cloudwatch:DescribeAlarms permission that is scoped to *. You can't return information
        // about composite alarms if your cloudwatch:DescribeAlarms permission has a narrower scope."
        // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html).
        // It reads alarm states only: no alarm can be changed with it.
        actions: ["cloudwatch:DescribeAlarms"],
        resources: ["*"],
      }),
    ]) {
      this.deployRole.addToPolicy(statement);
    }
    if (props.provisionedConcurrency > 0) {
      this.deployRole.addToPolicy(
        new iam.PolicyStatement({
          sid: "WarmNewVersions",
          actions: LAMBDA_PROVISIONED_ACTIONS,
          // Versions only: promote never configures the function itself or $LATEST.
          resources: [`${props.functionArn}:*`],
        }),
      );
    }
    Validations.of(this.deployRole).acknowledge({
      id: "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
      reason:
        "cloudwatch:DescribeAlarms for composite alarms must be granted on * (API_DescribeAlarms.html); it only reads alarm states",
    });
    Validations.of(this.deployRole).acknowledge({
      // cdk-nag names the finding by the statement's resource, pseudo parameters written <AWS::Name>.
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:lambda:<AWS::Region>:<AWS::AccountId>:function:${props.functionName}:*]`,
      reason:
        "the versions and aliases of this one function (promote publishes versions and moves the live alias)",
    });
  }

  private createPushRole(props: GithubRolesProps, roleName: string): iam.Role {
    const repository = `${props.github.owner}/${props.github.repo}`;
    const role = this.githubRole("PushRole", roleName, pushSubjects(props.github), {
      description: `GitHub Actions of ${repository} (PRs, main) push images to ECR ${roleName}`,
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: "EcrLogin",
        // GetAuthorizationToken has no resource type: it can only be granted on "*".
        actions: ["ecr:GetAuthorizationToken"],
        resources: ["*"],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: "PushThisRepository",
        actions: ECR_PUSH_ACTIONS,
        resources: [props.repositoryArn],
      }),
    );
    Validations.of(role).acknowledge({
      id: "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
      reason: "ecr:GetAuthorizationToken has no resource type: it can only be granted on *",
    });

    return role;
  }

  private githubRole(
    id: string,
    roleName: string,
    subjects: string[],
    options: { description: string },
  ): iam.Role {
    return new iam.Role(this, id, {
      roleName,
      description: options.description,
      maxSessionDuration: Duration.hours(1),
      assumedBy: new iam.WebIdentityPrincipal(this.provider.oidcProviderArn, {
        StringEquals: {
          [`${GITHUB_OIDC_ISSUER}:aud`]: STS_AUDIENCE,
          [`${GITHUB_OIDC_ISSUER}:sub`]: subjects,
        },
      }),
    });
  }
}
