/**
 * An IAM identity-policy evaluator for the policies CDK synthesizes for this project's functions:
 * an explicit Deny wins, then any Allow, else the request is implicitly denied. Written for the
 * job (Apache-2.0) and proven against @cloud-copilot/iam-simulate (AGPL-3.0, a dev-only test
 * oracle) on every policy the template holds (test/infra/local/iam/).
 *
 * Supported: Effect, Action / NotAction, Resource / NotResource with `*` and `?` wildcards
 * (actions case-insensitive, resources case-sensitive), and the condition operators StringEquals,
 * StringLike, StringNotEquals, StringNotLike, ArnEquals, ArnLike, Bool, each with `IfExists`. A
 * condition operator it does not know fails closed: an Allow with it never matches, a Deny always does.
 */

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface AuthorizationRequest {
  /** `service:Action`, e.g. `dynamodb:GetItem`. */
  readonly action: string;
  readonly resource: string;
  /** Condition keys of the request, e.g. `bedrock:InferenceProfileArn`. */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

export const Decision = { ALLOWED: 'Allowed', EXPLICITLY_DENIED: 'ExplicitlyDenied', IMPLICITLY_DENIED: 'ImplicitlyDenied' } as const;
export type Decision = (typeof Decision)[keyof typeof Decision];

const list = (value: string | readonly string[] | undefined): readonly string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : value;

/** IAM's wildcard match: `*` any run of characters, `?` one character, nothing else special. */
export const wildcardMatch = (pattern: string, value: string, ignoreCase = false): boolean => {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  // Iterative glob match with backtracking to the last `*`: linear in practice, no regex built from policy text.
  let pi = 0;
  let vi = 0;
  let star = -1;
  let mark = 0;
  while (vi < v.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === v[vi])) {
      pi++;
      vi++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = vi;
    } else if (star >= 0) {
      pi = star + 1;
      vi = ++mark;
    } else return false;
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
};

const STRING_OPERATORS: Record<string, (policy: string, actual: string) => boolean> = {
  StringEquals: (policy, actual) => policy === actual,
  StringLike: (policy, actual) => wildcardMatch(policy, actual),
  ArnEquals: (policy, actual) => policy === actual,
  ArnLike: (policy, actual) => wildcardMatch(policy, actual),
  Bool: (policy, actual) => policy.toLowerCase() === actual.toLowerCase(),
};
const NEGATED: Record<string, string> = { StringNotEquals: 'StringEquals', StringNotLike: 'StringLike' };

/** Whether one condition block holds for the request; `undefined` for an operator this evaluator does not know. */
const conditionHolds = (
  operator: string,
  keys: Readonly<Record<string, string | readonly string[]>>,
  context: AuthorizationRequest['context'] = {},
): boolean | undefined => {
  const ifExists = operator.endsWith('IfExists');
  const base = ifExists ? operator.slice(0, -'IfExists'.length) : operator;
  const negatedBase = NEGATED[base];
  const test = STRING_OPERATORS[negatedBase ?? base];
  if (!test) return undefined;
  return Object.entries(keys).every(([key, expected]) => {
    const found = Object.entries(context).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
    if (found === undefined) return ifExists || negatedBase !== undefined;
    const actual = list(found);
    const matches = actual.some((a) => list(expected).some((e) => test(e, a)));
    return negatedBase ? !matches : matches;
  });
};

/** Whether a statement applies to the request; unknown condition operators count against an Allow and for a Deny. */
const applies = (statement: PolicyStatement, request: AuthorizationRequest): boolean => {
  const actionHit = (patterns: readonly string[]) => patterns.some((p) => wildcardMatch(p, request.action, true));
  const resourceHit = (patterns: readonly string[]) => patterns.some((p) => wildcardMatch(p, request.resource));
  if (
    statement.Action !== undefined
      ? !actionHit(list(statement.Action))
      : !(statement.NotAction !== undefined && !actionHit(list(statement.NotAction)))
  )
    return false;
  if (
    statement.Resource !== undefined
      ? !resourceHit(list(statement.Resource))
      : !(statement.NotResource !== undefined && !resourceHit(list(statement.NotResource)))
  )
    return false;
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    const holds = conditionHolds(operator, keys, request.context);
    if (holds === undefined) return statement.Effect === 'Deny';
    if (!holds) return false;
  }
  return true;
};

/** The decision of a set of identity policies (their statements, flattened) on one request. */
export const evaluatePolicies = (statements: readonly PolicyStatement[], request: AuthorizationRequest): Decision => {
  let allowed = false;
  for (const statement of statements) {
    if (!applies(statement, request)) continue;
    if (statement.Effect === 'Deny') return Decision.EXPLICITLY_DENIED;
    allowed = true;
  }
  return allowed ? Decision.ALLOWED : Decision.IMPLICITLY_DENIED;
};
