import type { policySchema } from './policy-schema.ts';

/**
 * What this package calls of Cedar's official bindings (`@cedar-policy/cedar-wasm/nodejs`), typed
 * here rather than imported from them: Cedar is an optional peer, and a type import of it in the
 * published declarations would fail a team's type check where it is not installed. The real module
 * is checked against this where `compilePolicies` loads it.
 */
export interface Cedar {
  readonly policySetTextToParts: (
    text: string,
  ) => CedarFailure | { readonly type: 'success'; readonly policies: string[]; readonly policy_templates: string[] };
  readonly policyToJson: (policy: string) => CedarFailure | { readonly type: 'success'; readonly json: CedarPolicyJson };
  readonly validate: (call: {
    schema: ReturnType<typeof policySchema>;
    policies: { staticPolicies: Record<string, string> };
    validationSettings: { mode: 'strict' };
  }) =>
    | CedarFailure
    | { readonly type: 'success'; readonly validationErrors: ReadonlyArray<{ readonly policyId: string; readonly error: CedarError }> };
  readonly preparsePolicySet: (
    id: string,
    policies: { staticPolicies: Record<string, string> },
  ) => CedarFailure | { readonly type: 'success' };
  readonly statefulIsAuthorized: (call: {
    principal: CedarEntity;
    action: CedarEntity;
    resource: CedarEntity;
    context: never;
    entities: Array<{ uid: CedarEntity; attrs: { groups: string[]; tenant?: string }; parents: [] }>;
    preparsedPolicySetId: string;
  }) =>
    | CedarFailure
    | {
        readonly type: 'success';
        readonly response: {
          readonly diagnostics: {
            readonly reason: readonly string[];
            readonly errors: ReadonlyArray<{ readonly policyId: string; readonly error: CedarError }>;
          };
        };
      };
}

/** A policy's scope on the action: all, or the actions it names. */
export interface CedarActionConstraint {
  readonly op: string;
  readonly entity?: CedarEntityRef;
  readonly entities?: readonly CedarEntityRef[];
}

/** An entity named in a policy (Cedar's JSON writes it either way). */
export interface CedarEntityRef {
  readonly type?: string;
  readonly id?: string;
  readonly __entity?: { readonly type: string; readonly id: string };
}

/** An entity reference as Cedar's JSON writes it. */
export interface CedarEntity {
  type: string;
  id: string;
}

/** Cedar's error, with where in the text it is. */
export interface CedarError {
  readonly message: string;
  readonly help?: string | null;
  readonly sourceLocations?: ReadonlyArray<{ readonly start: number; readonly label?: string | null }>;
}

/** A call that failed as a whole. */
export interface CedarFailure {
  readonly type: 'failure';
  readonly errors: readonly CedarError[];
}

/** What this package reads of a policy as Cedar's JSON gives it. */
export interface CedarPolicyJson {
  readonly effect: 'permit' | 'forbid';
  readonly annotations?: Readonly<Record<string, string | null>>;
  readonly action: CedarActionConstraint;
  readonly conditions: readonly unknown[];
}
