import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as ecr from "aws-cdk-lib/aws-ecr";
import * as iam from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";
import { DEPLOYED_TAG_PREFIX } from "./names.js";

export interface ImageRepositoryProps {
  repositoryName: string;
  /** Images not tagged `deployed-*` (PR builds `ck-*`, untagged leftovers) expire this many days after push. */
  imageExpiryDays: number;
  /** ARNs (function and its qualifiers) that Lambda may pull images for. */
  functionArns: string[];
}

/**
 * Highest count ECR keeps under the `deployed-*` rule: 27 years of one deploy a day. The rule exists so that
 * its tag selection claims every deployed image; ECR never lets a lower-priority rule expire an image that a
 * higher-priority rule's tag selection matches.
 */
export const DEPLOYED_IMAGES_KEPT = 9999;

/** The ECR repository build-test-push pushes to and Lambda pulls from. */
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
        sid: "LambdaPullsForThisFunctionOnly",
        principals: [new iam.ServicePrincipal("lambda.amazonaws.com")],
        actions: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        conditions: { StringLike: { "aws:sourceArn": props.functionArns } },
      }),
    );
  }
}
