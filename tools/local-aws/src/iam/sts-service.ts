/**
 * STS over the AWS Query protocol (form-encoded POST, XML answers), as @aws-sdk/client-sts and
 * aws-actions/configure-aws-credentials (src/assumeRole.ts, AssumeRoleWithWebIdentityCommand) call it.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
 */
import { AwsError } from "../aws-error.js";
import { IamRefusal, type IdentityStore } from "./identity.js";
import type { SignedRequest } from "./sigv4.js";

export const STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

export function isStsRequest(contentType: string | undefined, body: Buffer): boolean {
  return (
    (contentType ?? "").startsWith("application/x-www-form-urlencoded") &&
    /(^|&)Action=/.test(body.toString("utf8"))
  );
}

const escapeXml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Answers one STS request: the XML body, or throws an AwsError STS would send. */
export function handleSts(
  identities: IdentityStore,
  body: Buffer,
  accessKeyId: string | undefined,
  token: string | undefined,
  signed?: SignedRequest,
): string {
  const form = new URLSearchParams(body.toString("utf8"));
  const action = form.get("Action");
  const requestId = crypto.randomUUID();
  if (action === "AssumeRoleWithWebIdentity") return assumeRoleWithWebIdentity(identities, form, requestId);
  if (action === "GetCallerIdentity") {
    // "No permissions are required to perform this operation." (API_GetCallerIdentity.html)
    const caller = asStsError(() => identities.caller(accessKeyId ?? "", token, signed));
    const result = `<Arn>${escapeXml(caller.arn)}</Arn><UserId>${escapeXml(accessKeyId ?? "")}</UserId><Account>${identities.model.accountId}</Account>`;
    return wrap("GetCallerIdentity", result, requestId);
  }
  throw new AwsError(
    "InvalidAction",
    `Could not find operation ${action ?? "(none)"} for version 2011-06-15`,
    400,
  );
}

function assumeRoleWithWebIdentity(
  identities: IdentityStore,
  form: URLSearchParams,
  requestId: string,
): string {
  const roleArn = required(form, "RoleArn");
  const roleSessionName = required(form, "RoleSessionName");
  const webIdentityToken = required(form, "WebIdentityToken");
  if (!SESSION_NAME.test(roleSessionName))
    throw new AwsError(
      "ValidationError",
      `1 validation error detected: Value '${roleSessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  const duration = form.get("DurationSeconds");
  const durationSeconds = duration === null ? undefined : Number(duration);
  if (
    durationSeconds !== undefined &&
    (!Number.isInteger(durationSeconds) || durationSeconds < 900 || durationSeconds > 3600)
  )
    throw new AwsError(
      "ValidationError",
      `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`,
    );
  const session = asStsError(() =>
    identities.assumeRoleWithWebIdentity({ roleArn, roleSessionName, webIdentityToken, durationSeconds }),
  );
  const result = [
    `<SubjectFromWebIdentityToken>${escapeXml(session.subject)}</SubjectFromWebIdentityToken>`,
    `<Audience>sts.amazonaws.com</Audience>`,
    `<AssumedRoleUser><Arn>${escapeXml(session.arn)}</Arn><AssumedRoleId>AROA${session.accessKeyId.slice(4, 20)}:${escapeXml(roleSessionName)}</AssumedRoleId></AssumedRoleUser>`,
    `<Credentials><SessionToken>${escapeXml(session.sessionToken)}</SessionToken><SecretAccessKey>${escapeXml(session.secretAccessKey)}</SecretAccessKey><Expiration>${new Date(session.expiration).toISOString()}</Expiration><AccessKeyId>${session.accessKeyId}</AccessKeyId></Credentials>`,
    `<Provider>${escapeXml(session.provider)}</Provider>`,
  ].join("");
  return wrap("AssumeRoleWithWebIdentity", result, requestId);
}

function wrap(action: string, result: string, requestId: string): string {
  return `<${action}Response xmlns="${STS_NAMESPACE}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

function required(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (!value) throw new AwsError("MissingParameter", `The request must contain the parameter ${name}`, 400);
  return value;
}

/** STS's codes for refused tokens (API_AssumeRoleWithWebIdentity.html, "Errors"). */
function asStsError<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (!(error instanceof IamRefusal)) throw error;
    if (error.kind === "denied") throw new AwsError("AccessDenied", error.message, 403, { cause: error });
    if (error.kind === "expired")
      throw new AwsError("ExpiredTokenException", error.message, 400, { cause: error });
    if (error.kind === "bad-signature")
      throw new AwsError("SignatureDoesNotMatch", error.message, 403, { cause: error });
    if (error.kind === "invalid-token")
      throw new AwsError("InvalidIdentityToken", error.message, 400, { cause: error });
    throw new AwsError("InvalidClientTokenId", error.message, 403, { cause: error });
  }
}

export function stsErrorXml(type: string, message: string, status: number): string {
  return `<ErrorResponse xmlns="${STS_NAMESPACE}"><Error><Type>${status < 500 ? "Sender" : "Receiver"}</Type><Code>${escapeXml(type)}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${crypto.randomUUID()}</RequestId></ErrorResponse>`;
}
