import { ArnFormat, Duration, Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";
import { GITHUB_OIDC_ISSUER, STS_AUDIENCE } from "./names.js";

export interface GithubRolesProps {
  pushRoleName: string;
  deployRoleName: string;
  github: { owner: string; repo: string };
  githubEnvironment: string;
  trustMainBranch: boolean;
  /** Import the account's provider (there is one per account) instead of creating it. */
  oidcProviderArn: string | undefined;
  repositoryArn: string;
  functionArn: string;
  alarmNames: string[];
  /** > 0: promote warms new versions, so the deploy role may manage their provisioned concurrency. */
  provisionedConcurrency: number;
}

type Repository = GithubRolesProps["github"];
const subject = (github: Repository, claim: string) => `repo:${github.owner}/${github.repo}:${claim}`;

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

/** ECR actions build-test-push needs: find the repository and images by tag, push, pull, read scan results. */
export const ECR_PUSH_ACTIONS = [
  "ecr:BatchCheckLayerAvailability",
  "ecr:BatchGetImage",
  "ecr:CompleteLayerUpload",
  "ecr:DescribeImageScanFindings",
  "ecr:DescribeImages",
  "ecr:DescribeRepositories",
  "ecr:GetDownloadUrlForLayer",
  "ecr:InitiateLayerUpload",
  "ecr:ListImages",
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
  "lambda:ListVersionsByFunction",
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
 * - push role: PR and main jobs push images to this one repository; it cannot touch Lambda, so a PR branch
 *   (whose workflow file its author controls) can never deploy.
 * - deploy role: only jobs in the stage's GitHub environment (protected with reviewers for production) may
 *   update, publish, invoke and alias this one function and read its canary alarms.
 * Neither can run CloudFormation or IAM: the workflows never change infrastructure.
 */
export class GithubRoles extends Construct {
  readonly provider: iam.IOidcProvider;
  readonly pushRole: iam.Role;
  readonly deployRole: iam.Role;

  constructor(scope: Construct, id: string, props: GithubRolesProps) {
    super(scope, id);
    this.provider =
      props.oidcProviderArn === undefined
        ? new iam.OidcProviderNative(this, "GithubOidcProvider", {
            url: `https://${GITHUB_OIDC_ISSUER}`,
            clientIds: [STS_AUDIENCE],
          })
        : iam.OidcProviderNative.fromOidcProviderArn(this, "GithubOidcProvider", props.oidcProviderArn);
    const repository = `${props.github.owner}/${props.github.repo}`;

    this.pushRole = this.githubRole("PushRole", props.pushRoleName, pushSubjects(props.github), {
      description: `GitHub Actions of ${repository} (PRs, main) push images to ECR ${props.pushRoleName}`,
    });
    this.pushRole.addToPolicy(
      new iam.PolicyStatement({
        sid: "EcrLogin",
        // GetAuthorizationToken has no resource type: it can only be granted on "*".
        actions: ["ecr:GetAuthorizationToken"],
        resources: ["*"],
      }),
    );
    this.pushRole.addToPolicy(
      new iam.PolicyStatement({
        sid: "PushThisRepository",
        actions: ECR_PUSH_ACTIONS,
        resources: [props.repositoryArn],
      }),
    );

    this.deployRole = this.githubRole("DeployRole", props.deployRoleName, deploySubjects(props), {
      description: `GitHub Actions of ${repository} (environment ${props.githubEnvironment}) deploy one function`,
    });
    const alarmArns = props.alarmNames.map((alarmName) =>
      Stack.of(this).formatArn({
        service: "cloudwatch",
        resource: "alarm",
        resourceName: alarmName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    );
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
        actions: ["cloudwatch:DescribeAlarms"],
        resources: alarmArns,
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
