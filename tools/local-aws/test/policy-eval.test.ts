import { describe, expect, it } from "vitest";
import {
  evaluate,
  PolicyGrammarError,
  wildcardMatch,
  type AuthorizationRequest,
  type PolicyDocument,
} from "../src/iam/policy-eval.js";

/*
 * The worked example of https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html
 * ("Example identity-based and resource-based policy evaluation"): this identity policy is attached to
 * carlossalazar, who "tries to save a file to the amzn-s3-demo-bucket-carlossalazar-logs Amazon S3 bucket".
 * "AWS first checks for a Deny statement ... It finds one, because the identity-based policy explicitly
 * denies Carlos access to any S3 buckets used for logging." Saving to his own bucket is allowed, and "If
 * either the identity-based policy or the resource-based policy within the same account allows the
 * request and the other doesn't, the request is still allowed."
 */
const CARLOS = "arn:aws:iam::123456789012:user/carlossalazar";
const carlosPolicy: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "AllowS3ListRead",
      Effect: "Allow",
      Action: [
        "s3:GetBucketLocation",
        "s3:GetAccountPublicAccessBlock",
        "s3:ListAccessPoints",
        "s3:ListAllMyBuckets",
      ],
      Resource: "arn:aws:s3:::*",
    },
    {
      Sid: "AllowS3Self",
      Effect: "Allow",
      Action: "s3:*",
      Resource: [
        "arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar/*",
        "arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar",
      ],
    },
    { Sid: "DenyS3Logs", Effect: "Deny", Action: "s3:*", Resource: "arn:aws:s3:::*log*" },
  ],
};
/** A bucket policy naming Carlos on his own bucket's objects. */
const bucketPolicy: PolicyDocument = {
  Statement: [
    {
      Effect: "Allow",
      Principal: { AWS: CARLOS },
      Action: "s3:*",
      Resource: "arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar/*",
    },
  ],
};
const put = (resource: string): AuthorizationRequest => ({
  principal: { AWS: [CARLOS] },
  action: "s3:PutObject",
  resource,
  context: {},
});

describe("policy evaluation: AWS's worked example", () => {
  it("denies saving to the -logs bucket: the explicit deny overrides AllowS3Self-like allows", () => {
    const decision = evaluate(
      put("arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar-logs/file.txt"),
      [carlosPolicy],
      [bucketPolicy],
    );
    expect(decision).toEqual({ effect: "Deny", explicit: true, by: "identity-based", sid: "DenyS3Logs" });
  });

  it("allows saving to his own bucket, where both policies allow", () => {
    const decision = evaluate(
      put("arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar/file.txt"),
      [carlosPolicy],
      [bucketPolicy],
    );
    expect(decision).toMatchObject({ effect: "Allow", by: "identity-based", sid: "AllowS3Self" });
  });

  it("allows when only the resource-based policy allows (same account)", () => {
    const decision = evaluate(
      put("arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar/file.txt"),
      [],
      [bucketPolicy],
    );
    expect(decision).toMatchObject({ effect: "Allow", by: "resource-based" });
  });

  it("denies implicitly when nothing allows, and a resource policy naming someone else does not help", () => {
    const other = {
      ...put("arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar/file.txt"),
      principal: { AWS: ["arn:aws:iam::123456789012:user/mary"] },
    };
    expect(evaluate(other, [], [bucketPolicy])).toEqual({ effect: "Deny", explicit: false });
  });

  it("matches actions case-insensitively and resources case-sensitively", () => {
    const request = { ...put("arn:aws:s3:::AMZN-S3-DEMO-BUCKET-CARLOSSALAZAR/x"), action: "S3:PUTOBJECT" };
    expect(evaluate(request, [carlosPolicy]).effect).toBe("Deny");
    expect(
      evaluate({ ...put("arn:aws:s3:::amzn-s3-demo-bucket-carlossalazar/x"), action: "S3:PUTOBJECT" }, [
        carlosPolicy,
      ]).effect,
    ).toBe("Allow");
  });
});

describe("the grammar the stack emits", () => {
  const trust: PolicyDocument = {
    Statement: [
      {
        Effect: "Allow",
        Action: "sts:AssumeRoleWithWebIdentity",
        Principal: {
          Federated: "arn:aws:iam::000000000000:oidc-provider/token.actions.githubusercontent.com",
        },
        Condition: {
          StringEquals: {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": [
              "repo:o/r:pull_request",
              "repo:o/r:ref:refs/heads/main",
            ],
          },
        },
      },
    ],
  };
  const assume = (
    context: Record<string, string | undefined>,
    federated = "arn:aws:iam::000000000000:oidc-provider/token.actions.githubusercontent.com",
  ): AuthorizationRequest => ({
    principal: { Federated: [federated] },
    action: "sts:AssumeRoleWithWebIdentity",
    resource: "arn:aws:iam::000000000000:role/push",
    context,
  });
  const aud = "token.actions.githubusercontent.com:aud";
  const sub = "token.actions.githubusercontent.com:sub";

  it("every key of a StringEquals block must match one of its values", () => {
    expect(
      evaluate(assume({ [aud]: "sts.amazonaws.com", [sub]: "repo:o/r:pull_request" }), [], [trust]).effect,
    ).toBe("Allow");
    expect(
      evaluate(assume({ [aud]: "sts.amazonaws.com", [sub]: "repo:o/r:ref:refs/heads/dev" }), [], [trust])
        .effect,
    ).toBe("Deny");
    expect(evaluate(assume({ [aud]: "other", [sub]: "repo:o/r:pull_request" }), [], [trust]).effect).toBe(
      "Deny",
    );
  });

  it("a missing key fails a positive operator and passes a negated one (condition operators docs)", () => {
    expect(evaluate(assume({ [aud]: "sts.amazonaws.com" }), [], [trust]).effect).toBe("Deny");
    const negated: PolicyDocument = {
      Statement: [
        {
          Effect: "Allow",
          Action: "*",
          Resource: "*",
          Condition: { StringNotEquals: { "aws:SourceArn": "x" } },
        },
      ],
    };
    expect(evaluate({ ...assume({}), principal: {} }, [negated]).effect).toBe("Allow");
    const ifExists: PolicyDocument = {
      Statement: [
        {
          Effect: "Allow",
          Action: "*",
          Resource: "*",
          Condition: { StringEqualsIfExists: { "aws:SourceArn": "x" } },
        },
      ],
    };
    expect(evaluate({ ...assume({}), principal: {} }, [ifExists]).effect).toBe("Allow");
    expect(evaluate({ ...assume({ "aws:SourceArn": "y" }), principal: {} }, [ifExists]).effect).toBe("Deny");
  });

  it("condition key names are case-insensitive (the stack writes aws:sourceArn)", () => {
    const repositoryPolicy: PolicyDocument = {
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "lambda.amazonaws.com" },
          Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
          Condition: {
            StringLike: {
              "aws:sourceArn": ["arn:aws:lambda:r:1:function:f", "arn:aws:lambda:r:1:function:f:*"],
            },
          },
        },
      ],
    };
    const pull = (sourceArn: string): AuthorizationRequest => ({
      principal: { Service: ["lambda.amazonaws.com"] },
      action: "ecr:BatchGetImage",
      resource: "arn:aws:ecr:r:1:repository/x",
      context: { "aws:SourceArn": sourceArn },
    });
    expect(evaluate(pull("arn:aws:lambda:r:1:function:f"), [], [repositoryPolicy]).effect).toBe("Allow");
    expect(evaluate(pull("arn:aws:lambda:r:1:function:f:live"), [], [repositoryPolicy]).effect).toBe("Allow");
    expect(evaluate(pull("arn:aws:lambda:r:1:function:fx"), [], [repositoryPolicy]).effect).toBe("Deny");
  });

  it("the wrong Federated principal is not trusted", () => {
    const context = { [aud]: "sts.amazonaws.com", [sub]: "repo:o/r:pull_request" };
    expect(
      evaluate(assume(context, "arn:aws:iam::000000000000:oidc-provider/example.com"), [], [trust]).effect,
    ).toBe("Deny");
  });

  it("NotAction allows everything but the named actions", () => {
    const policy: PolicyDocument = {
      Statement: [{ Effect: "Allow", NotAction: "lambda:Update*", Resource: "*" }],
    };
    const request = (action: string): AuthorizationRequest => ({
      principal: {},
      action,
      resource: "r",
      context: {},
    });
    expect(evaluate(request("lambda:GetAlias"), [policy]).effect).toBe("Allow");
    expect(evaluate(request("lambda:UpdateAlias"), [policy]).effect).toBe("Deny");
    const two: PolicyDocument = {
      Statement: [{ Effect: "Allow", NotAction: ["lambda:Update*", "lambda:Delete*"], Resource: "*" }],
    };
    expect(evaluate(request("lambda:UpdateAlias"), [two]).effect).toBe("Deny");
    expect(evaluate(request("lambda:DeleteAlias"), [two]).effect).toBe("Deny");
    expect(evaluate(request("lambda:GetAlias"), [two]).effect).toBe("Allow");
  });

  it("ForAnyValue / ForAllValues over a multi-valued key", () => {
    const any: PolicyDocument = {
      Statement: [
        {
          Effect: "Allow",
          Action: "*",
          Resource: "*",
          Condition: { "ForAnyValue:StringLike": { "aws:TagKeys": "team*" } },
        },
      ],
    };
    const all: PolicyDocument = {
      Statement: [
        {
          Effect: "Allow",
          Action: "*",
          Resource: "*",
          Condition: { "ForAllValues:StringEquals": { "aws:TagKeys": ["a", "b"] } },
        },
      ],
    };
    const request = (keys: string[]): AuthorizationRequest => ({
      principal: {},
      action: "x:Y",
      resource: "r",
      context: { "aws:TagKeys": keys },
    });
    expect(evaluate(request(["x", "team-a"]), [any]).effect).toBe("Allow");
    expect(evaluate(request(["x"]), [any]).effect).toBe("Deny");
    expect(evaluate(request(["a"]), [all]).effect).toBe("Allow");
    expect(evaluate(request(["a", "c"]), [all]).effect).toBe("Deny");
    expect(evaluate(request([]), [all]).effect).toBe("Allow");
    expect(evaluate(request([]), [any]).effect).toBe("Deny");
  });

  it("refuses what it cannot read instead of allowing it", () => {
    const numeric: PolicyDocument = {
      Statement: [
        {
          Effect: "Allow",
          Action: "*",
          Resource: "*",
          Condition: { NumericLessThan: { "aws:MultiFactorAuthAge": "3600" } },
        },
      ],
    };
    const request: AuthorizationRequest = { principal: {}, action: "x:Y", resource: "r", context: {} };
    expect(() => evaluate(request, [numeric])).toThrow(PolicyGrammarError);
    const variable: PolicyDocument = {
      Statement: [{ Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::${aws:username}/*" }],
    };
    expect(() => evaluate(request, [variable])).toThrow(
      new PolicyGrammarError("policy variables are not supported: arn:aws:s3:::${aws:username}/*"),
    );
    const both = {
      Statement: [{ Effect: "Allow", Action: "*", NotAction: "x:*", Resource: "*" }],
    } as PolicyDocument;
    expect(() => evaluate(request, [both])).toThrow(PolicyGrammarError);
  });
});

describe("wildcardMatch", () => {
  it.each([
    ["*", "", true],
    ["a*c", "abbbc", true],
    ["a*c", "abbb", false],
    ["a?c", "abc", true],
    ["a?c", "ac", false],
    ["*log*", "amzn-s3-demo-bucket-carlossalazar-logs/x", true],
    ["arn:aws:lambda:r:1:function:f:*", "arn:aws:lambda:r:1:function:f", false],
    ["arn:aws:lambda:r:1:function:f:*", "arn:aws:lambda:r:1:function:f:7", true],
    ["a*b", "aab", true],
    ["*b", "bab", true],
    ["abc", "xabc", false],
    ["abc", "abcx", false],
    ["a**", "a", true],
    ["a?", "a", false],
  ])("%s ~ %s → %s", (pattern, value, expected) => {
    expect(wildcardMatch(pattern, value)).toBe(expected);
  });
});

describe("statements and principals", () => {
  const request = (principal: AuthorizationRequest["principal"] = {}): AuthorizationRequest => ({
    principal,
    action: "lambda:GetAlias",
    resource: "arn:aws:lambda:r:1:function:f:live",
    context: {},
  });
  const allow = (statement: Partial<PolicyDocument["Statement"]>): PolicyDocument => ({
    Statement: {
      Effect: "Allow",
      Action: "lambda:*",
      Resource: "*",
      ...statement,
    },
  });

  it("refuses an Effect other than Allow or Deny, naming the statement", () => {
    expect(() => evaluate(request(), [allow({ Sid: "S1", Effect: "Permit" } as never)])).toThrow(
      new PolicyGrammarError("statement S1 has Effect Permit"),
    );
    expect(() => evaluate(request(), [allow({ Effect: undefined } as never)])).toThrow(
      new PolicyGrammarError("statement  has Effect undefined"),
    );
    expect(evaluate(request(), [allow({ Effect: "Deny", Sid: "D" })])).toEqual({
      effect: "Deny",
      explicit: true,
      by: "identity-based",
      sid: "D",
    });
  });

  it("needs exactly one of Action/NotAction, and of Resource/NotResource in an identity policy", () => {
    expect(() => evaluate(request(), [allow({ Sid: "A", Action: undefined })])).toThrow(
      new PolicyGrammarError("statement A needs exactly one of Action/NotAction"),
    );
    expect(() => evaluate(request(), [allow({ NotResource: "x" })])).toThrow(
      new PolicyGrammarError("statement  needs exactly one of Resource/NotResource"),
    );
  });

  it("NotResource allows everything but the named resources", () => {
    const policy = allow({ Resource: undefined, NotResource: "arn:aws:lambda:r:1:function:f:*" });
    expect(evaluate(request(), [policy]).effect).toBe("Deny");
    expect(evaluate({ ...request(), resource: "arn:aws:lambda:r:1:function:g" }, [policy]).effect).toBe(
      "Allow",
    );
  });

  /*
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html:
   * "You must use the Principal element in resource-based policies." and "You can specify the principal
   * ... as "*" ... { "Principal": "*" }" / { "Principal" : { "AWS" : "*" } }.
   */
  it("a resource policy statement needs a Principal; * names everyone", () => {
    const missing = allow({ Sid: "R" });
    expect(() => evaluate(request(), [], [missing])).toThrow(
      new PolicyGrammarError("resource policy statement R has no Principal"),
    );
    expect(() => evaluate(request(), [], [allow({})])).toThrow(
      new PolicyGrammarError("resource policy statement  has no Principal"),
    );
    expect(new PolicyGrammarError("x").name).toBe("PolicyGrammarError");
    expect(evaluate(request(), [], [allow({ Principal: "*" })]).effect).toBe("Allow");
    expect(evaluate(request(), [], [allow({ Principal: { AWS: "*" } })]).effect).toBe("Allow");
    expect(evaluate(request(), [], [allow({ Principal: { AWS: ["x", "*"] } })]).effect).toBe("Allow");
  });

  it("a resource policy statement may leave out Resource: it is the resource it is attached to", () => {
    const policy = allow({ Resource: undefined, Principal: { Service: "lambda.amazonaws.com" } });
    expect(evaluate(request({ Service: ["lambda.amazonaws.com"] }), [], [policy]).effect).toBe("Allow");
  });

  it("matches a principal by its kind; an unknown kind is refused", () => {
    const byService = allow({ Principal: { Service: "lambda.amazonaws.com" } });
    expect(evaluate(request({ AWS: ["lambda.amazonaws.com"] }), [], [byService]).effect).toBe("Deny");
    expect(evaluate(request({ Service: ["lambda.amazonaws.com"] }), [], [byService]).effect).toBe("Allow");
    const twoKinds = allow({ Principal: { AWS: "arn:aws:iam::1:role/a", Service: "lambda.amazonaws.com" } });
    expect(evaluate(request({ Service: ["lambda.amazonaws.com"] }), [], [twoKinds]).effect).toBe("Allow");
    expect(evaluate(request({ AWS: ["arn:aws:iam::1:role/a"] }), [], [twoKinds]).effect).toBe("Allow");
    expect(evaluate(request({ AWS: ["arn:aws:iam::1:role/b"] }), [], [twoKinds]).effect).toBe("Deny");
    expect(() => evaluate(request(), [], [allow({ Principal: { CanonicalUser: "abc" } })])).toThrow(
      new PolicyGrammarError("Principal type CanonicalUser is not supported here"),
    );
  });

  it("an explicit deny in the resource policy overrides an identity allow", () => {
    const deny = allow({ Effect: "Deny", Sid: "No", Principal: "*" });
    expect(evaluate(request(), [allow({})], [deny])).toEqual({
      effect: "Deny",
      explicit: true,
      by: "resource-based",
      sid: "No",
    });
  });
});
