/**
 * The IAM part of synthesized CloudFormation templates (`npm run infra:synth`), resolved for this
 * stand-in's account and region: roles with their trust and identity policies, OIDC providers, and ECR
 * repository policies. Only the intrinsics the stack emits are resolved; anything else is an error.
 */
import { statementsOf, type PolicyDocument } from "./policy-eval.js";

export interface CfnTemplate {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  Parameters?: Record<string, { Default?: unknown }>;
}

export interface IamRole {
  name: string;
  arn: string;
  trust: PolicyDocument;
  policies: PolicyDocument[];
}

export interface IamModel {
  accountId: string;
  region: string;
  /** By role ARN. */
  roles: Map<string, IamRole>;
  /** OIDC provider ARNs the account has (created by a template). */
  providers: Set<string>;
  /** ECR repository policy by repository name. */
  repositoryPolicies: Map<string, PolicyDocument>;
}

export class TemplateError extends Error {
  override name = "TemplateError";
}

interface Account {
  accountId: string;
  region: string;
}

export function iamModel(templates: readonly CfnTemplate[], account: Account): IamModel {
  const model: IamModel = {
    ...account,
    roles: new Map(),
    providers: new Set(),
    repositoryPolicies: new Map(),
  };
  for (const template of templates) {
    const resolve = resolver(template, account);
    const roleArnByLogicalId = new Map<string, string>();
    for (const [id, resource] of Object.entries(template.Resources)) {
      const props = resource.Properties ?? {};
      if (resource.Type === "AWS::IAM::Role") {
        const name = resolve({ Ref: id }) as string;
        const arn = resolve({ "Fn::GetAtt": [id, "Arn"] }) as string;
        const trust = resolve(props.AssumeRolePolicyDocument) as PolicyDocument;
        statementsOf(trust);
        const inline = ((props.Policies as { PolicyDocument: unknown }[] | undefined) ?? []).map(
          (policy) => resolve(policy.PolicyDocument) as PolicyDocument,
        );
        model.roles.set(arn, { name, arn, trust, policies: inline });
        roleArnByLogicalId.set(id, arn);
      } else if (resource.Type === "AWS::IAM::OIDCProvider") {
        model.providers.add(resolve({ Ref: id }) as string);
      } else if (resource.Type === "AWS::ECR::Repository" && props.RepositoryPolicyText !== undefined) {
        const policy = resolve(props.RepositoryPolicyText) as PolicyDocument;
        statementsOf(policy);
        model.repositoryPolicies.set(resolve({ Ref: id }) as string, policy);
      }
    }
    for (const resource of Object.values(template.Resources)) {
      if (resource.Type !== "AWS::IAM::Policy") continue;
      const props = resource.Properties ?? {};
      const document = resolve(props.PolicyDocument) as PolicyDocument;
      statementsOf(document);
      for (const role of (props.Roles as unknown[] | undefined) ?? []) {
        const ref = (role as { Ref?: string }).Ref;
        const arn = ref === undefined ? undefined : roleArnByLogicalId.get(ref);
        if (arn === undefined)
          throw new TemplateError(`policy attached to a role not in the template: ${JSON.stringify(role)}`);
        model.roles.get(arn)?.policies.push(document);
      }
    }
  }
  return model;
}

/** A template scalar as text; an intrinsic function object left unresolved is refused, not "[object Object]". */
function scalarText(value: unknown, what: string): string {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
    return String(value);
  throw new TemplateError(`${what} must be a plain value here, got ${JSON.stringify(value)}`);
}

/** Resolves Ref, Fn::GetAtt …Arn and Fn::Join over the template's own resources and pseudo parameters. */
function resolver(template: CfnTemplate, account: Account): (value: unknown) => unknown {
  const partition = "aws";
  const pseudo: Record<string, string> = {
    "AWS::Partition": partition,
    "AWS::Region": account.region,
    "AWS::AccountId": account.accountId,
    "AWS::URLSuffix": "amazonaws.com",
  };
  const resourceOf = (id: string) => {
    const resource = template.Resources[id];
    if (!resource) throw new TemplateError(`reference to ${id}, which the template does not define`);
    return { type: resource.Type, props: resource.Properties ?? {} };
  };
  const ref = (id: string): string => {
    if (id in pseudo) return pseudo[id]!;
    const parameter = template.Parameters?.[id];
    if (parameter) return scalarText(parameter.Default ?? "", `parameter ${id}`);
    const { type, props } = resourceOf(id);
    if (type === "AWS::IAM::Role") return scalarText(props.RoleName ?? id, `RoleName of ${id}`);
    if (type === "AWS::ECR::Repository")
      return scalarText(props.RepositoryName ?? id, `RepositoryName of ${id}`);
    if (type === "AWS::IAM::OIDCProvider") {
      const host = String(props.Url).replace(/^https:\/\//, "");
      return `arn:${partition}:iam::${account.accountId}:oidc-provider/${host}`;
    }
    throw new TemplateError(`Ref to a ${type} is not resolved here`);
  };
  const arnOf = (id: string): string => {
    const { type } = resourceOf(id);
    if (type === "AWS::IAM::Role") return `arn:${partition}:iam::${account.accountId}:role/${ref(id)}`;
    if (type === "AWS::ECR::Repository")
      return `arn:${partition}:ecr:${account.region}:${account.accountId}:repository/${ref(id)}`;
    throw new TemplateError(`Fn::GetAtt Arn of a ${type} is not resolved here`);
  };
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (typeof value !== "object" || value === null) return value;
    const entries = Object.entries(value);
    const [key, argument] = entries[0] ?? [];
    if (entries.length === 1 && key === "Ref") return ref(String(argument));
    if (entries.length === 1 && key === "Fn::GetAtt") {
      const [id, attribute] = argument as [string, string];
      if (attribute !== "Arn") throw new TemplateError(`Fn::GetAtt ${attribute} is not resolved here`);
      return arnOf(id);
    }
    if (entries.length === 1 && key === "Fn::Join") {
      const [separator, parts] = argument as [string, unknown[]];
      return parts.map((part) => String(resolve(part))).join(separator);
    }
    if (entries.length === 1 && key?.startsWith("Fn::"))
      throw new TemplateError(`intrinsic ${key} is not resolved here`);
    return Object.fromEntries(entries.map(([name, inner]) => [name, resolve(inner)]));
  };
  return resolve;
}
