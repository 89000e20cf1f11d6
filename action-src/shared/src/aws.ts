/**
 * AWS clients for the actions. Endpoints are deliberately not configured here: the SDK itself reads
 * AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_ECR and AWS_ENDPOINT_URL_LAMBDA (and credentials from the
 * environment that aws-actions/configure-aws-credentials sets up), so a local stand-in of AWS is
 * reached by the very code path that production uses.
 */
import { ECRClient } from "@aws-sdk/client-ecr";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { InputError } from "./errors.js";

// An ECR repository name, not a URI. CreateRepository's repositoryName: "Pattern:
// (?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*", at most 256 characters
// (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html). A registry
// host ("<account>.dkr.ecr.<region>.amazonaws.com/…") fits the pattern, so it is refused by name.
export function isEcrRepositoryName(name: string): boolean {
  return ECR_REPOSITORY_NAME.test(name) && name.length <= 256 && !name.includes(".dkr.ecr.");
}

const ECR_REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** The region from the action input, else AWS_REGION / AWS_DEFAULT_REGION; an InputError if none. */
export function resolveRegion(inputRegion: string, env: NodeJS.ProcessEnv = process.env): string {
  const region = inputRegion || env.AWS_REGION || env.AWS_DEFAULT_REGION || "";
  if (!region) {
    throw new InputError(`Input "aws-region" is required (or set AWS_REGION)`);
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new InputError(`Input "aws-region" is not an AWS region name: "${region}"`);
  }
  return region;
}

const SHARED_CLIENT_CONFIG = { maxAttempts: 5 } as const;

export function createEcrClient(region: string): ECRClient {
  return new ECRClient({ region, ...SHARED_CLIENT_CONFIG });
}

export function createLambdaClient(region: string): LambdaClient {
  return new LambdaClient({ region, ...SHARED_CLIENT_CONFIG });
}

/** The AWS error name (e.g. "RepositoryNotFoundException"), or "" for anything else. */
export function awsErrorName(error: unknown): string {
  return error instanceof Error ? error.name : "";
}
