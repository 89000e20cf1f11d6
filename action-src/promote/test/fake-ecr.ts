/** Test helper: ECR that holds every digest asked for (BatchGetImage) and accepts any PutImage. */
import { BatchGetImageCommand, PutImageCommand, type ECRClient } from "@aws-sdk/client-ecr";
import type { AwsClientStub } from "aws-sdk-client-mock";

export function ecrHoldsImages(ecr: AwsClientStub<ECRClient>): void {
  ecr.on(BatchGetImageCommand).callsFake((input: { imageIds: Array<{ imageDigest: string }> }) => ({
    images: input.imageIds.map((id) => ({
      imageId: id,
      imageManifest: `{"schemaVersion":2,"config":{"digest":"${id.imageDigest}"}}`,
      imageManifestMediaType: "application/vnd.oci.image.manifest.v1+json",
    })),
  }));
  ecr.on(PutImageCommand).resolves({});
}
