import { ArnFormat, Duration, Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";
import { GITHUB_OIDC_ISSUER, STS_AUDIENCE } from "./names.js";

export interface GithubDeployRoleProps {
  roleName: string;
  github: { owner: string; repo: string };
  githubEnvironment: string;
  trustMainBranch: boolean;
  /** Import the account's provider (one per account) instead of creating it. */
  oidcProviderArn: string | undefined;
  repositoryArn: string;
  functionArn: string;
  alarmNames: string[];
}

/** The only subjects (`sub` claims) GitHub's OIDC tokens may carry to assume the role. */
export function trustedSubjects(
  props: Pick<GithubDeployRoleProps, "github" | "githubEnvironment" | "trustMainBranch">,
) {
  const repository = `repo:${props.github.owner}/${props.github.repo}`;
  const subjects = [`${repository}:environment:${props.githubEnvironment}`];
  if (props.trustMainBranch) subjects.unshift(`${repository}:ref:refs/heads/main`);
  return subjects;
}

/**
 * The role GitHub Actions assumes through OIDC: no IAM user, no access keys. It can push and pull this one
 * repository, update/publish/alias/invoke this one function and read its canary alarms, nothing else; it
 * cannot run CloudFormation, so the workflows never deploy infrastructure.
 */
export class GithubDeployRole extends Construct {
  readonly role: iam.Role;
  readonly provider: iam.IOidcProvider;

  constructor(scope: Construct, id: string, props: GithubDeployRoleProps) {
    super(scope, id);
    this.provider =
      props.oidcProviderArn === undefined
        ? new iam.OidcProviderNative(this, "GithubOidcProvider", {
            url: `https://${GITHUB_OIDC_ISSUER}`,
            clientIds: [STS_AUDIENCE],
          })
        : iam.OidcProviderNative.fromOidcProviderArn(this, "GithubOidcProvider", props.oidcProviderArn);

    this.role = new iam.Role(this, "Role", {
      roleName: props.roleName,
      description: `GitHub Actions of ${props.github.owner}/${props.github.repo} deploy images to ${props.functionArn}`,
      maxSessionDuration: Duration.hours(1),
      assumedBy: new iam.WebIdentityPrincipal(this.provider.oidcProviderArn, {
        StringEquals: {
          [`${GITHUB_OIDC_ISSUER}:aud`]: STS_AUDIENCE,
          [`${GITHUB_OIDC_ISSUER}:sub`]: trustedSubjects(props),
        },
      }),
    });
    const alarmArns = props.alarmNames.map((alarmName) =>
      Stack.of(this).formatArn({
        service: "cloudwatch",
        resource: "alarm",
        resourceName: alarmName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    );
    for (const statement of deployStatements(props, alarmArns)) this.role.addToPolicy(statement);
  }
}

/** ECR actions build-test-push (push, find by tag, read scan results) and promote (tag deployed-*) need. */
export const ECR_REPOSITORY_ACTIONS = [
  "ecr:BatchCheckLayerAvailability",
  "ecr:BatchGetImage",
  "ecr:CompleteLayerUpload",
  "ecr:DescribeImageScanFindings",
  "ecr:DescribeImages",
  "ecr:GetDownloadUrlForLayer",
  "ecr:InitiateLayerUpload",
  "ecr:ListImages",
  "ecr:PutImage",
  "ecr:UploadLayerPart",
];

/** Lambda actions promote and rollback need; no CreateFunction, DeleteFunction or configuration changes. */
export const LAMBDA_FUNCTION_ACTIONS = [
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

function deployStatements(props: GithubDeployRoleProps, alarmArns: string[]): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: "EcrLogin",
      // GetAuthorizationToken has no resource type: it can only be granted on "*".
      actions: ["ecr:GetAuthorizationToken"],
      resources: ["*"],
    }),
    new iam.PolicyStatement({
      sid: "PushAndPullThisRepository",
      actions: ECR_REPOSITORY_ACTIONS,
      resources: [props.repositoryArn],
    }),
    new iam.PolicyStatement({
      sid: "DeployThisFunction",
      actions: LAMBDA_FUNCTION_ACTIONS,
      // The function itself and its qualifiers (versions and aliases).
      resources: [props.functionArn, `${props.functionArn}:*`],
    }),
    new iam.PolicyStatement({
      sid: "ReadCanaryAlarms",
      actions: ["cloudwatch:DescribeAlarms"],
      resources: alarmArns,
    }),
  ];
}
