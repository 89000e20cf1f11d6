import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as ecr from "aws-cdk-lib/aws-ecr";
import * as iam from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";
import { DEPLOYED_TAG_PREFIX } from "./names.js";

export interface ImageRepositoryProps {
  repositoryName: string;
  /** Images not tagged `deployed-*` (PR builds `ck-*`, untagged leftovers) expire this many days after push. */
  imageExpiryDays: number;
  /** ARNs (the functions of every stage and their qualifiers) that Lambda may pull images for. */
  functionArns: string[];
}

/**
 * Highest count ECR keeps under the `deployed-*` rule: 27 years of one deploy a day. The rule exists so that
 * its tag selection claims every deployed image; ECR never lets a lower-priority rule expire an image that a
 * higher-priority rule's tag selection matches.
 */
export const DEPLOYED_IMAGES_KEPT = 9999;

/**
 * The ECR repository build-test-push pushes to and every stage's function pulls from: one repository, so
 * the digest dev served is the digest prod serves (a copy into a second repository would be a second
 * upload to keep in step). Owned by one stage's stack (InfraConfig.imageStage).
 */
export class ImageRepository extends Construct {
  readonly repository: ecr.Repository;

  constructor(scope: Construct, id: string, props: ImageRepositoryProps) {
    super(scope, id);
    this.repository = new ecr.Repository(this, "Repository", {
      repositoryName: props.repositoryName,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      encryption: ecr.RepositoryEncryption.AES_256,
      // Published Lambda versions point into this repository: deleting the stack must not delete it.
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          rulePriority: 1,
          description: `Keep every image promote deployed (tag ${DEPLOYED_TAG_PREFIX}*): a Lambda version may point to it`,
          tagStatus: ecr.TagStatus.TAGGED,
          tagPrefixList: [DEPLOYED_TAG_PREFIX],
          maxImageCount: DEPLOYED_IMAGES_KEPT,
        },
        {
          rulePriority: 2,
          description: `Expire images never deployed ${props.imageExpiryDays} days after push`,
          tagStatus: ecr.TagStatus.ANY,
          maxImageAge: Duration.days(props.imageExpiryDays),
        },
      ],
    });
    // CDK leaves AES256 (ECR's default) implicit; state it so the template shows the encryption at rest.
    (this.repository.node.defaultChild as ecr.CfnRepository).encryptionConfiguration = {
      encryptionType: "AES256",
    };
    this.repository.addToResourcePolicy(
      new iam.PolicyStatement({
        // "Amazon ECR repository permissions must allow the ecr:BatchGetImage and
        // ecr:GetDownloadUrlForLayer API actions to the Lambda service" for a function created from an image
        // in the same account (https://repost.aws/knowledge-center/lambda-ecr-image); aws:sourceArn names
        // the functions, so no other function in the account can pull from here.
        sid: "LambdaPullsForTheseFunctionsOnly",
        principals: [new iam.ServicePrincipal("lambda.amazonaws.com")],
        actions: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        conditions: { StringLike: { "aws:sourceArn": props.functionArns } },
      }),
    );
  }
}
