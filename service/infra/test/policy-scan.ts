/** A statement found anywhere in a template (identity policies, trust policies, resource policies). */
export interface FoundStatement {
  path: string;
  statement: Record<string, unknown>;
}

/** Every IAM statement in a CloudFormation template, wherever a `Statement` list appears. */
export function findStatements(node: unknown, path = ""): FoundStatement[] {
  if (Array.isArray(node)) return node.flatMap((item, index) => findStatements(item, `${path}[${index}]`));
  if (node === null || typeof node !== "object") return [];
  const record = node as Record<string, unknown>;
  const own = Array.isArray(record.Statement)
    ? (record.Statement as Record<string, unknown>[]).map((statement, index) => ({
        path: `${path}.Statement[${index}]`,
        statement,
      }))
    : [];
  const nested = Object.entries(record)
    .filter(([key]) => key !== "Statement")
    .flatMap(([key, value]) => findStatements(value, `${path}.${key}`));
  return [...own, ...nested];
}

export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** Problems that make a statement broader than named actions: `*`, `service:*`, wildcards, NotAction. */
export function wildcardActionProblems(found: FoundStatement[]): string[] {
  return found.flatMap(({ path, statement }) => {
    const problems: string[] = [];
    if ("NotAction" in statement) problems.push(`${path}: NotAction`);
    if ("NotResource" in statement) problems.push(`${path}: NotResource`);
    for (const action of asList(statement.Action)) {
      if (typeof action !== "string" || action.includes("*") || !/^[a-z0-9-]+:[A-Za-z0-9]+$/.test(action)) {
        problems.push(`${path}: action ${JSON.stringify(action)}`);
      }
    }
    return problems;
  });
}
