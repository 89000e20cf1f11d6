/**
 * Enforcement at the stand-in's front door: the caller from the SigV4 access key id (and session token),
 * each call mapped by permissions.ts and decided by identity.ts, refusals in each service's error shape.
 */
import { AwsError } from "../aws-error.js";
import { IamRefusal, type Caller, type IamCall, type IdentityStore } from "./identity.js";
import {
  cloudWatchCall,
  ecrCalls,
  functionArn,
  imageRepository,
  lambdaCall,
  parseFunctionRef,
  repositoryArn,
  UnmappedCall,
  type Account,
  type LambdaRequestShape,
} from "./permissions.js";
import type { SignedRequest } from "./sigv4.js";

export type Service = "ecr" | "lambda" | "cloudwatch" | "sts";

/** The access key id of a SigV4 Authorization header (`Credential=<key>/<date>/<region>/<service>/aws4_request`). */
export function accessKeyOf(authorization: string | undefined): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(authorization ?? "")?.[1];
}

/*
 * Error shapes: ECR (JSON 1.1) answers AccessDeniedException with HTTP 400
 * (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/CommonErrors.html); Lambda (REST-JSON)
 * AccessDeniedException with 403; CloudWatch (query-compatible) AccessDenied with 403
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CommonErrors.html); STS AccessDenied 403.
 * An unknown key is UnrecognizedClientException ("The security token included in the request is invalid.").
 */
const DENIED: Record<Service, [type: string, status: number]> = {
  ecr: ["AccessDeniedException", 400],
  lambda: ["AccessDeniedException", 403],
  cloudwatch: ["AccessDenied", 403],
  sts: ["AccessDenied", 403],
};

export function refusalError(service: Service, error: IamRefusal | UnmappedCall): AwsError {
  if (error instanceof UnmappedCall)
    return new AwsError("AccessDeniedException", error.message, 403, { cause: error });
  if (error.kind === "denied") {
    const [type, status] = DENIED[service];
    return new AwsError(type, error.message, status, { cause: error });
  }
  if (error.kind === "bad-signature")
    return new AwsError("InvalidSignatureException", error.message, 403, { cause: error });
  if (error.kind === "expired")
    return new AwsError("ExpiredTokenException", error.message, 403, { cause: error });
  return new AwsError("UnrecognizedClientException", error.message, 403, { cause: error });
}

export class Enforcer {
  constructor(
    readonly identities: IdentityStore,
    private readonly account: Account,
  ) {}

  caller(service: Service, signed: SignedRequest): Caller {
    const key = accessKeyOf(signed.headers.authorization);
    const token = signed.headers["x-amz-security-token"];
    return this.guard(service, () =>
      this.identities.caller(key ?? "", typeof token === "string" ? token : undefined, signed),
    );
  }

  ecr(signed: SignedRequest, operation: string, input: Record<string, unknown>): void {
    const caller = this.caller("ecr", signed);
    this.guard("ecr", () => {
      for (const call of ecrCalls(operation, input, this.account)) this.authorize(caller, call);
    });
  }

  lambda(signed: SignedRequest, request: LambdaRequestShape): void {
    const caller = this.caller("lambda", signed);
    this.guard("lambda", () => {
      const call = lambdaCall(request, this.account);
      this.authorize(caller, call);
      this.imagePull(call, request);
    });
  }

  cloudwatch(signed: SignedRequest, operation: string, input: Record<string, unknown>): void {
    const caller = this.caller("cloudwatch", signed);
    this.guard("cloudwatch", () => this.authorize(caller, cloudWatchCall(operation, input, this.account)));
  }

  private authorize(caller: Caller, call: IamCall): void {
    // ECR consults the repository policy too (same account: either policy may allow).
    const repository = call.action.startsWith("ecr:")
      ? /repository\/(.+)$/.exec(call.resource)?.[1]
      : undefined;
    const policy =
      repository === undefined ? undefined : this.identities.model.repositoryPolicies.get(repository);
    this.identities.authorize(caller, call, policy ? [policy] : []);
  }

  /**
   * Lambda pulls a function's image as lambda.amazonaws.com, allowed only by the repository policy
   * (https://docs.aws.amazon.com/lambda/latest/dg/images-create.html#configuration-images-permissions:
   * ecr:BatchGetImage and ecr:GetDownloadUrlForLayer), with aws:SourceArn = the function.
   */
  private imagePull(call: IamCall, request: LambdaRequestShape): void {
    if (call.action !== "lambda:CreateFunction" && call.action !== "lambda:UpdateFunctionCode") return;
    const code = request.body?.Code as Record<string, unknown> | undefined;
    const imageUri = request.body?.ImageUri ?? code?.ImageUri;
    if (typeof imageUri !== "string") return;
    const repository = imageRepository(imageUri);
    const policy = this.identities.model.repositoryPolicies.get(repository);
    const name = parseFunctionRef(call.resource).name;
    const context = { "aws:SourceArn": functionArn(this.account, name) };
    try {
      for (const action of ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]) {
        this.identities.authorizeService(
          "lambda.amazonaws.com",
          { action, resource: repositoryArn(this.account, repository), context },
          policy ? [policy] : [],
        );
      }
    } catch (error) {
      throw new AwsError(
        "AccessDeniedException",
        `Lambda does not have permission to access the ECR image. Check the ECR permissions. (${(error as Error).message})`,
        403,
        { cause: error },
      );
    }
  }

  private guard<T>(service: Service, work: () => T): T {
    try {
      return work();
    } catch (error) {
      if (error instanceof IamRefusal || error instanceof UnmappedCall) throw refusalError(service, error);
      throw error;
    }
  }
}
