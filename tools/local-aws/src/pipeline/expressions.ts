/**
 * A small evaluator for the `${{ }}` expressions the workflows and composite actions use: literals,
 * context property access (`a.b-c`, `a['b']`), `!`, `==`, `!=`, `<`, `<=`, `>`, `>=`, `&&`, `||`,
 * parentheses and the status functions. Rules from
 * https://docs.github.com/actions/learn-github-actions/expressions: "GitHub ignores case when comparing
 * strings"; "GitHub performs loose equality comparisons. If the types do not match, GitHub coerces the
 * type to a number"; "falsy values (false, 0, -0, "", '', null) are coerced to false"; && and || give
 * one of their operands (`vars.A || 'default'`). Anything else (another function, an unknown context, a
 * name a strict context does not hold) is an ExpressionError: the story must not guess.
 */

export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

/** Contexts in which a name that is not there is a mistake (an undeclared input, a job not in needs). */
export const STRICT = Symbol("strict");
export type Context = { [key: string]: Value } & { [STRICT]?: string };

export function strict(name: string, values: Record<string, Value>): Context {
  return Object.assign(Object.create(null) as Context, values, { [STRICT]: name });
}

export class ExpressionError extends Error {}

export interface Contexts {
  [name: string]: Context | undefined;
}

type Token =
  { kind: "literal"; value: Value } | { kind: "name"; value: string } | { kind: "op"; value: string };

const OPERATORS = ["==", "!=", "<=", ">=", "&&", "||", "!", "<", ">", "(", ")", "[", "]", ".", ","];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < source.length) {
    const rest = source.slice(index);
    const space = /^\s+/.exec(rest);
    if (space) {
      index += space[0].length;
      continue;
    }
    if (rest.startsWith("'")) {
      const match = /^'((?:[^']|'')*)'/.exec(rest);
      if (!match) throw new ExpressionError(`unterminated string in \${{ ${source} }}`);
      tokens.push({ kind: "literal", value: (match[1] ?? "").replace(/''/g, "'") });
      index += match[0].length;
      continue;
    }
    const number = /^-?(?:0x[0-9a-f]+|\d+(?:\.\d+)?(?:e[+-]?\d+)?)/i.exec(rest);
    if (number && !/^[\w-]/.test(rest.slice(number[0].length))) {
      tokens.push({ kind: "literal", value: Number(number[0]) });
      index += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][\w-]*/.exec(rest);
    if (name) {
      const word = name[0];
      const literals: Record<string, Value> = { true: true, false: false, null: null };
      tokens.push(
        word in literals ? { kind: "literal", value: literals[word]! } : { kind: "name", value: word },
      );
      index += word.length;
      continue;
    }
    const operator = OPERATORS.find((candidate) => rest.startsWith(candidate));
    if (!operator) throw new ExpressionError(`cannot read "${rest}" in \${{ ${source} }}`);
    tokens.push({ kind: "op", value: operator });
    index += operator.length;
  }
  return tokens;
}

/**
 * What the status functions see. "failure(): Returns true when any previous step of a job fails. If you
 * have a chain of dependent jobs, failure() returns true if any ancestor job fails."
 * (https://docs.github.com/en/actions/reference/workflows-and-actions/expressions#failure). Within a job
 * a failed step stops the story's job, so earlier steps succeeded (the default); a job's own `if:` is
 * given whether an ancestor job failed. The story cancels nothing.
 */
export interface Status {
  failed: boolean;
}
const RUNNING: Status = { failed: false };

const FUNCTIONS: Record<string, (status: Status) => Value> = {
  success: (status) => !status.failed,
  always: () => true,
  failure: (status) => status.failed,
  cancelled: () => false,
};

class Parser {
  private position = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
    private readonly contexts: Contexts,
    private readonly status: Status,
  ) {}

  parse(): Value {
    const value = this.or();
    if (this.position < this.tokens.length) this.fail("unexpected input after the expression");
    return value;
  }

  private fail(why: string): never {
    throw new ExpressionError(`${why} in \${{ ${this.source} }}`);
  }

  private peek(value: string): boolean {
    const token = this.tokens[this.position];
    return token?.kind === "op" && token.value === value;
  }

  private expect(value: string): void {
    if (!this.peek(value)) this.fail(`expected "${value}"`);
    this.position++;
  }

  private or(): Value {
    let left = this.and();
    while (this.peek("||")) {
      this.position++;
      const right = this.and();
      left = truthy(left) ? left : right;
    }
    return left;
  }

  private and(): Value {
    let left = this.comparison();
    while (this.peek("&&")) {
      this.position++;
      const right = this.comparison();
      left = truthy(left) ? right : left;
    }
    return left;
  }

  private comparison(): Value {
    let left = this.unary();
    for (;;) {
      const operator = ["==", "!=", "<", "<=", ">", ">="].find((candidate) => this.peek(candidate));
      if (!operator) return left;
      this.position++;
      left = compare(operator, left, this.unary());
    }
  }

  private unary(): Value {
    if (this.peek("!")) {
      this.position++;
      return !truthy(this.unary());
    }
    return this.primary();
  }

  private primary(): Value {
    const token = this.tokens[this.position++];
    if (!token) this.fail("the expression ends too early");
    if (token.kind === "literal") return token.value;
    if (token.kind === "op") {
      if (token.value !== "(") this.fail(`unexpected "${token.value}"`);
      const value = this.or();
      this.expect(")");
      return value;
    }
    if (this.peek("(")) {
      const call = FUNCTIONS[token.value];
      if (!call) this.fail(`the local story does not evaluate ${token.value}()`);
      this.position++;
      this.expect(")");
      return call(this.status);
    }
    const context = this.contexts[token.value];
    if (!context) this.fail(`context "${token.value}" is not available here`);
    let value: Value = context;
    let path = token.value;
    for (;;) {
      let key: string;
      if (this.peek(".")) {
        this.position++;
        const name = this.tokens[this.position++];
        if (name?.kind !== "name") this.fail(`expected a property name after ${path}.`);
        key = name.value;
      } else if (this.peek("[")) {
        this.position++;
        const index = this.or();
        this.expect("]");
        key = String(index);
      } else {
        return value;
      }
      value = member(value, key, path);
      path = `${path}.${key}`;
    }
  }
}

function member(value: Value, key: string, path: string): Value {
  if (value === null || typeof value !== "object") return null;
  const strictName = (value as Context)[STRICT];
  if (strictName && !Object.hasOwn(value, key))
    throw new ExpressionError(`${path}.${key}: ${strictName} has no "${key}"`);
  return (value as Record<string, Value>)[key] ?? null;
}

export function truthy(value: Value): boolean {
  return !(value === false || value === 0 || value === "" || value === null || Number.isNaN(value));
}

function toNumber(value: Value): number {
  if (value === null) return 0;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number") return value;
  if (typeof value === "string") return value.trim() === "" ? 0 : Number(value.trim());
  return Number.NaN;
}

function compare(operator: string, left: Value, right: Value): boolean {
  let a: string | number;
  let b: string | number;
  if (typeof left === "string" && typeof right === "string") {
    a = left.toLowerCase();
    b = right.toLowerCase();
  } else if (typeof left === "object" && left !== null && left === right) {
    return operator === "==" || operator === "<=" || operator === ">=";
  } else {
    a = toNumber(left);
    b = toNumber(right);
  }
  switch (operator) {
    case "==":
      return a === b;
    case "!=":
      return a !== b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    default:
      return a >= b;
  }
}

/** The value of one expression (the text between `${{` and `}}`, or an `if:` without them). */
export function evaluate(expression: string, contexts: Contexts, status: Status = RUNNING): Value {
  return new Parser(tokenize(expression), expression.trim(), contexts, status).parse();
}

/** What the runner puts in an input or an env value: null as '', other values as their string. */
export function asString(value: Value): string {
  if (value === null) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** A value with its `${{ … }}` parts replaced by their results. */
export function interpolate(text: string, contexts: Contexts): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_match, expression: string) =>
    asString(evaluate(expression, contexts)),
  );
}

/**
 * An `if:` condition. "If your if expression does not contain any of the status functions it will
 * automatically result with success()" (same page, "Status check functions"): the story's failed steps
 * end their job, so success() holds wherever a condition is evaluated.
 */
export function condition(
  text: string | boolean | undefined,
  contexts: Contexts,
  status: Status = RUNNING,
): boolean {
  if (text === undefined) return true;
  if (typeof text === "boolean") return text;
  const bare = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(text)?.[1] ?? text;
  return truthy(evaluate(bare, contexts, status));
}
