/**
 * A policy evaluator for exactly the grammar the stack in service/infra emits (and a little around it):
 * Allow/Deny, Action/NotAction and Resource/NotResource with `*` and `?`, Principal (AWS, Service,
 * Federated, "*"), and the String, Arn and Bool condition operators with ForAnyValue:/ForAllValues:
 * and ...IfExists. Anything else is a PolicyGrammarError: refused loudly, never allowed. Pure: no I/O.
 *
 * Same-account logic, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html:
 * "AWS evaluates all the permissions granted by the policies for at least one Allow within the same
 * account. An explicit deny in any of the policies overrides the allow." and "If either the
 * identity-based policy or the resource-based policy within the same account allows the request and
 * the other doesn't, the request is still allowed."
 */

export type Strings = string | string[];

export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: Strings;
  NotAction?: Strings;
  Resource?: Strings;
  NotResource?: Strings;
  Principal?: "*" | Record<string, Strings>;
  Condition?: Record<string, Record<string, Strings | boolean>>;
}

export interface PolicyDocument {
  Version?: string;
  Statement: Statement | Statement[];
}

export type ContextValue = string | string[] | undefined;

export interface AuthorizationRequest {
  /** Identifiers a Principal element may name: the session and role ARNs, a service, a provider ARN. */
  principal: { AWS?: string[]; Service?: string[]; Federated?: string[] };
  action: string;
  resource: string;
  /** Condition keys (case-insensitive names) and their values in this request. */
  context: Record<string, ContextValue>;
}

export type PolicyKind = "identity-based" | "resource-based";

export type Decision =
  | { effect: "Allow"; by: PolicyKind; sid?: string }
  | { effect: "Deny"; explicit: true; by: PolicyKind; sid?: string }
  | { effect: "Deny"; explicit: false };

/** A policy the evaluator cannot read: the request is refused and the message says why. */
export class PolicyGrammarError extends Error {
  override name = "PolicyGrammarError";
}

export function statementsOf(document: PolicyDocument): Statement[] {
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  for (const statement of statements) {
    if (statement.Effect !== "Allow" && statement.Effect !== "Deny")
      throw new PolicyGrammarError(`statement ${statement.Sid ?? ""} has Effect ${String(statement.Effect)}`);
  }
  return statements;
}

/** The decision for one request against the caller's identity policies and the resource's policy. */
export function evaluate(
  request: AuthorizationRequest,
  identity: readonly PolicyDocument[],
  resource: readonly PolicyDocument[] = [],
): Decision {
  const sets: [PolicyKind, Statement[]][] = [
    ["identity-based", identity.flatMap(statementsOf)],
    ["resource-based", resource.flatMap(statementsOf)],
  ];
  const applies = (kind: PolicyKind, statement: Statement): boolean =>
    (kind === "identity-based" || principalMatches(statement, request.principal)) &&
    statementMatches(statement, request);
  for (const [kind, statements] of sets) {
    const deny = statements.find((statement) => statement.Effect === "Deny" && applies(kind, statement));
    if (deny) return { effect: "Deny", explicit: true, by: kind, sid: deny.Sid };
  }
  for (const [kind, statements] of sets) {
    // Stryker disable next-line ConditionalExpression: a Deny that applies has already returned above
    const allow = statements.find((statement) => statement.Effect === "Allow" && applies(kind, statement));
    if (allow) return { effect: "Allow", by: kind, sid: allow.Sid };
  }
  return { effect: "Deny", explicit: false };
}

function statementMatches(statement: Statement, request: AuthorizationRequest): boolean {
  const actionOk = either(statement, "Action", "NotAction", (pattern) =>
    wildcardMatch(pattern.toLowerCase(), request.action.toLowerCase()),
  );
  const resourceOk = either(statement, "Resource", "NotResource", (pattern) =>
    wildcardMatch(pattern, request.resource),
  );
  return actionOk && resourceOk && conditionsHold(statement.Condition ?? {}, request.context);
}

function either(
  statement: Statement,
  positive: "Action" | "Resource",
  negative: "NotAction" | "NotResource",
  matches: (pattern: string) => boolean,
): boolean {
  const yes = statement[positive];
  const no = statement[negative];
  if ((yes === undefined) === (no === undefined)) {
    // A resource policy may leave Resource out (it is the resource it is attached to).
    if (positive === "Resource" && yes === undefined) return true;
    throw new PolicyGrammarError(
      `statement ${statement.Sid ?? ""} needs exactly one of ${positive}/${negative}`,
    );
  }
  if (yes !== undefined) return list(yes).some(matches);
  return !list(no as Strings).some(matches);
}

function principalMatches(statement: Statement, principal: AuthorizationRequest["principal"]): boolean {
  const element = statement.Principal;
  if (element === undefined)
    throw new PolicyGrammarError(`resource policy statement ${statement.Sid ?? ""} has no Principal`);
  if (element === "*") return true;
  return Object.entries(element).some(([kind, values]) => {
    if (kind !== "AWS" && kind !== "Service" && kind !== "Federated")
      throw new PolicyGrammarError(`Principal type ${kind} is not supported here`);
    // Stryker disable next-line ArrayDeclaration: an absent kind names no one; no policy names the placeholder id
    const ids = principal[kind] ?? [];
    return list(values).some((value) => value === "*" || ids.includes(value));
  });
}

export function list(value: Strings): string[] {
  return Array.isArray(value) ? value : [value];
}

/** `*` matches any run of characters (also none), `?` exactly one; everything else literally. */
export function wildcardMatch(pattern: string, value: string): boolean {
  if (pattern.includes("${")) throw new PolicyGrammarError(`policy variables are not supported: ${pattern}`);
  let p = 0;
  let v = 0;
  let star = -1;
  let mark = 0;
  while (v < value.length) {
    // Past the end of the pattern pattern[p] is undefined: it equals neither "?", "*" nor a character.
    if (pattern[p] === "?" || pattern[p] === value[v]) {
      p++;
      v++;
    } else if (pattern[p] === "*") {
      star = p++;
      mark = v;
    } else if (star >= 0) {
      p = star + 1;
      v = ++mark;
    } else return false;
  }
  while (pattern[p] === "*") p++;
  return p === pattern.length;
}

type Comparison = (policyValue: string, requestValue: string) => boolean;

/** arn:partition:service:region:account:resource, the resource keeping its own colons. */
function arnSegments(arn: string): string[] | undefined {
  const parts = arn.split(":");
  return parts.length < 6 ? undefined : [...parts.slice(0, 5), parts.slice(5).join(":")];
}

/*
 * "ArnEquals, ArnLike: Case-sensitive matching of the ARN. Each of the six colon-delimited components of
 * the ARN is checked separately and each can include multi-character match wildcards (*) or
 * single-character match wildcards (?)." (reference_policies_elements_condition_operators.html#Conditions_ARN)
 * A wildcard never spans a colon before the resource, and a value that is no ARN matches nothing.
 */
export function arnMatch(pattern: string, value: string): boolean {
  const wanted = arnSegments(pattern);
  const given = arnSegments(value);
  if (!wanted || !given) return false;
  return wanted.every((segment, index) => wildcardMatch(segment, given[index]!));
}

const COMPARISONS: Record<string, { compare: Comparison; negated: boolean }> = {
  StringEquals: { compare: (a, b) => a === b, negated: false },
  StringNotEquals: { compare: (a, b) => a === b, negated: true },
  StringEqualsIgnoreCase: { compare: (a, b) => a.toLowerCase() === b.toLowerCase(), negated: false },
  StringNotEqualsIgnoreCase: { compare: (a, b) => a.toLowerCase() === b.toLowerCase(), negated: true },
  StringLike: { compare: wildcardMatch, negated: false },
  StringNotLike: { compare: wildcardMatch, negated: true },
  // "ArnEquals and ArnLike behave the same" (reference_policies_elements_condition_operators.html#Conditions_ARN)
  ArnEquals: { compare: arnMatch, negated: false },
  ArnLike: { compare: arnMatch, negated: false },
  ArnNotEquals: { compare: arnMatch, negated: true },
  ArnNotLike: { compare: arnMatch, negated: true },
  Bool: { compare: (a, b) => a.toLowerCase() === b.toLowerCase(), negated: false },
};

/** Every operator block must hold, every key in it must hold; a key holds if any policy value matches. */
export function conditionsHold(
  condition: NonNullable<Statement["Condition"]>,
  context: Record<string, ContextValue>,
): boolean {
  const lowered = new Map(Object.entries(context).map(([key, value]) => [key.toLowerCase(), value]));
  return Object.entries(condition).every(([operator, keys]) =>
    Object.entries(keys).every(([key, policyValues]) =>
      keyHolds(
        operator,
        list(typeof policyValues === "boolean" ? String(policyValues) : policyValues),
        lowered.get(key.toLowerCase()),
      ),
    ),
  );
}

/*
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html:
 * "If the key that you specify in a policy condition is not present in the request context, the values
 * do not match and the condition is false. If the policy condition requires that the key is not matched,
 * such as StringNotLike or ArnNotLike, and the right key is not present, the condition is true. This
 * logic applies to all condition operators except ...IfExists and Null check."
 */
function keyHolds(operator: string, policyValues: string[], requestValue: ContextValue): boolean {
  const [qualifier, bare] = operator.includes(":") ? operator.split(":", 2) : [undefined, operator];
  const ifExists = bare.endsWith("IfExists");
  const name = ifExists ? bare.slice(0, -"IfExists".length) : bare;
  const comparison = COMPARISONS[name];
  if (!comparison || (qualifier !== undefined && qualifier !== "ForAnyValue" && qualifier !== "ForAllValues"))
    throw new PolicyGrammarError(`condition operator ${operator} is not supported here`);
  const absent = requestValue === undefined || (Array.isArray(requestValue) && requestValue.length === 0);
  if (absent) {
    if (ifExists) return true;
    // ForAllValues over no values is true; ForAnyValue over none is false (multi-value key docs).
    if (qualifier === "ForAllValues") return true;
    if (qualifier === "ForAnyValue") return false;
    return comparison.negated;
  }
  const matchesAny = (value: string): boolean =>
    policyValues.some((policyValue) => comparison.compare(policyValue, value));
  const values = Array.isArray(requestValue) ? requestValue : [requestValue];
  if (qualifier === undefined && values.length > 1)
    throw new PolicyGrammarError(`${operator} on a multi-valued key needs ForAnyValue: or ForAllValues:`);
  const holds = (value: string): boolean => (comparison.negated ? !matchesAny(value) : matchesAny(value));
  return qualifier === "ForAllValues" ? values.every(holds) : values.some(holds);
}
