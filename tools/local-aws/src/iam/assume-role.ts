/**
 * What aws-actions/configure-aws-credentials does with a job's OIDC token (src/assumeRole.ts at
 * v6.2.3, e6de054238d6b7531b4efff3b6587d9aade6a06c): AssumeRoleWithWebIdentity with RoleSessionName
 * "GitHubActions" (src/index.ts ROLE_SESSION_NAME) and the default audience sts.amazonaws.com
 * (action.yml `audience`), then the job's later steps sign with the returned credentials.
 */
import { AssumeRoleWithWebIdentityCommand, STSClient } from "@aws-sdk/client-sts";

export const ROLE_SESSION_NAME = "GitHubActions";
export const STS_AUDIENCE = "sts.amazonaws.com";

export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export async function assumeRoleWithToken(
  endpoint: string,
  region: string,
  roleArn: string,
  webIdentityToken: string,
): Promise<SessionCredentials> {
  const sts = new STSClient({ endpoint, region, maxAttempts: 1 });
  try {
    const result = await sts.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: roleArn,
        RoleSessionName: ROLE_SESSION_NAME,
        WebIdentityToken: webIdentityToken,
        DurationSeconds: 3600,
      }),
    );
    const credentials = result.Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken)
      throw new Error("STS returned no credentials");
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
    };
  } finally {
    sts.destroy();
  }
}
