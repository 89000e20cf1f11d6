/**
 * Who is calling, and may they: STS's AssumeRoleWithWebIdentity against the roles of the synthesized
 * templates, the sessions it hands out (access key id → role session), and the one authorize() every
 * ECR, Lambda, CloudWatch and STS route goes through. Decisions come from policy-eval.ts (pure).
 */
import { randomBytes } from "node:crypto";
import { evaluate, type AuthorizationRequest, type Decision, type PolicyDocument } from "./policy-eval.js";
import { GITHUB_ISSUER, type GithubClaims, type LocalGithubIssuer } from "./github-oidc.js";
import { verifySignature, type SignedRequest } from "./sigv4.js";
import type { IamModel } from "./template-model.js";

export interface Caller {
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>`, or the administrator's ARN. */
  arn: string;
  /** Undefined for the administrator (CloudFormation's part: it creates what the stack defines). */
  roleName?: string;
  roleArn?: string;
  identityPolicies: PolicyDocument[];
}

export interface Session extends Caller {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: number;
  subject: string;
  provider: string;
}

/** One call as IAM sees it: the action, the resource ARN (or "*") and the request's condition keys. */
export interface IamCall {
  action: string;
  resource: string;
  context?: Record<string, string | string[] | undefined>;
}

/** Refusals in IAM's own terms; each service turns them into its error shape (see denials.ts). */
export class IamRefusal extends Error {
  constructor(
    readonly kind: "denied" | "unknown-key" | "expired" | "invalid-token" | "bad-signature",
    message: string,
    readonly call?: IamCall,
    readonly caller?: Caller,
    readonly decision?: Decision,
  ) {
    super(message);
    this.name = "IamRefusal";
  }
}

export interface WebIdentityRequest {
  roleArn: string;
  roleSessionName: string;
  webIdentityToken: string;
  durationSeconds?: number;
}

const PROVIDER_HOST = new URL(GITHUB_ISSUER).host;
const ADMINISTRATOR_POLICY: PolicyDocument = {
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
};

export class IdentityStore {
  private readonly sessions = new Map<string, Session>();
  /** Actions each role was allowed, for comparing with what its policies grant. */
  readonly used = new Map<string, Set<string>>();

  constructor(
    private current: IamModel,
    private readonly issuer: LocalGithubIssuer,
    private readonly now: () => number = Date.now,
    /** An access key id that acts as the account's administrator (what deploys the stack). */
    readonly administratorKey?: string,
  ) {}

  get model(): IamModel {
    return this.current;
  }

  /** New policies (a redeployed stack) apply to sessions already handed out, as in IAM. */
  replaceModel(model: IamModel): void {
    this.current = model;
  }

  /**
   * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html: the token
   * must come from a provider the account trusts, and the role's trust policy must allow
   * sts:AssumeRoleWithWebIdentity for the provider as Federated principal under the token's claims.
   * Only `<provider>:aud` and `<provider>:sub` are condition keys ("Support for custom claims for OIDC
   * is unavailable in AWS", https://docs.github.com/en/actions/how-tos/secure-your-work/security-harden-deployments/oidc-in-aws).
   */
  assumeRoleWithWebIdentity(request: WebIdentityRequest): Session {
    const claims = this.issuer.verify(request.webIdentityToken);
    if (!claims || claims.iss !== GITHUB_ISSUER)
      throw new IamRefusal(
        "invalid-token",
        "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
      );
    const nowSeconds = Math.floor(this.now() / 1000);
    if (typeof claims.exp !== "number" || claims.exp < nowSeconds)
      throw new IamRefusal("expired", "Token expired: current date/time is after the token's expiration");
    const provider = `arn:aws:iam::${this.model.accountId}:oidc-provider/${PROVIDER_HOST}`;
    const role = this.model.roles.get(request.roleArn);
    const call: IamCall = {
      action: "sts:AssumeRoleWithWebIdentity",
      resource: request.roleArn,
      context: webIdentityContext(claims),
    };
    const decision =
      role && this.model.providers.has(provider)
        ? evaluate(
            { principal: { Federated: [provider] }, ...call, context: call.context ?? {} },
            [],
            [role.trust],
          )
        : ({ effect: "Deny", explicit: false } as const);
    if (decision.effect !== "Allow" || !role)
      throw new IamRefusal(
        "denied",
        "Not authorized to perform sts:AssumeRoleWithWebIdentity",
        call,
        undefined,
        decision,
      );
    const duration = request.durationSeconds ?? 3600;
    const session: Session = {
      arn: `arn:aws:sts::${this.model.accountId}:assumed-role/${role.name}/${request.roleSessionName}`,
      roleName: role.name,
      roleArn: role.arn,
      identityPolicies: role.policies,
      accessKeyId: `ASIA${randomBytes(8).toString("hex").toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString("base64"),
      sessionToken: randomBytes(48).toString("base64"),
      expiration: this.now() + duration * 1000,
      subject: String(claims.sub),
      provider,
    };
    this.sessions.set(session.accessKeyId, session);
    return session;
  }

  /**
   * The caller behind a SigV4 access key id (and, for a session, its token). A session's request must
   * carry a valid signature made with the secret STS returned; the administrator key is not checked.
   */
  caller(accessKeyId: string, sessionToken: string | undefined, signed?: SignedRequest): Caller {
    if (this.administratorKey !== undefined && accessKeyId === this.administratorKey) {
      return {
        arn: `arn:aws:iam::${this.model.accountId}:role/local-aws-administrator`,
        identityPolicies: [ADMINISTRATOR_POLICY],
      };
    }
    const session = this.sessions.get(accessKeyId);
    if (!session || session.sessionToken !== sessionToken)
      throw new IamRefusal("unknown-key", "The security token included in the request is invalid.");
    if (session.expiration < this.now())
      throw new IamRefusal("expired", "The security token included in the request is expired");
    if (signed && !verifySignature(signed, session.secretAccessKey))
      throw new IamRefusal(
        "bad-signature",
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
      );
    return { ...session, identityPolicies: this.model.roles.get(session.roleArn ?? "")?.policies ?? [] };
  }

  /** Allows or throws IamRefusal("denied"); resource policies apply where AWS uses one. */
  authorize(caller: Caller, call: IamCall, resourcePolicies: PolicyDocument[] = []): void {
    const principal: AuthorizationRequest["principal"] = {
      AWS: [caller.arn, ...(caller.roleArn ? [caller.roleArn] : [])],
    };
    const decision = evaluate(
      { principal, action: call.action, resource: call.resource, context: call.context ?? {} },
      caller.identityPolicies,
      resourcePolicies,
    );
    if (decision.effect !== "Allow")
      throw new IamRefusal("denied", deniedMessage(caller.arn, call, decision), call, caller, decision);
    if (caller.roleName) {
      const actions = this.used.get(caller.roleName) ?? new Set<string>();
      actions.add(call.action);
      this.used.set(caller.roleName, actions);
    }
  }

  /** A service principal (lambda.amazonaws.com pulling an image) against a resource policy alone. */
  authorizeService(service: string, call: IamCall, resourcePolicies: PolicyDocument[]): void {
    const decision = evaluate(
      {
        principal: { Service: [service] },
        action: call.action,
        resource: call.resource,
        context: call.context ?? {},
      },
      [],
      resourcePolicies,
    );
    if (decision.effect !== "Allow")
      throw new IamRefusal("denied", deniedMessage(service, call, decision), call, undefined, decision);
  }
}

/** The condition keys STS offers a trust policy for a GitHub token. */
export function webIdentityContext(claims: GithubClaims): Record<string, string | undefined> {
  return {
    [`${PROVIDER_HOST}:aud`]: claims.aud === undefined ? undefined : String(claims.aud),
    [`${PROVIDER_HOST}:sub`]: claims.sub === undefined ? undefined : String(claims.sub),
  };
}

/**
 * IAM's access-denied message (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html):
 * "User: <principal> is not authorized to perform: <action> on resource: <resource> because no
 * identity-based policy allows the <action> action", or "... with an explicit deny in a(n) <type> policy".
 */
export function deniedMessage(principal: string, call: IamCall, decision: Decision): string {
  const head = `User: ${principal} is not authorized to perform: ${call.action} on resource: ${call.resource}`;
  if (decision.effect === "Deny" && decision.explicit)
    return `${head} with an explicit deny in ${decision.by === "identity-based" ? "an identity-based" : "a resource-based"} policy`;
  return `${head} because no identity-based policy allows the ${call.action} action`;
}
