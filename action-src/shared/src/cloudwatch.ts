/**
 * The CloudWatch client for promote's canary. Like aws.ts, no endpoint is configured here: the SDK
 * reads AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_CLOUDWATCH itself.
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";

export function createCloudWatchClient(region: string): CloudWatchClient {
  return new CloudWatchClient({ region, maxAttempts: 5 });
}
