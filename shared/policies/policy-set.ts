import type { Cedar, CedarActionConstraint, CedarEntityRef, CedarError } from './cedar-bindings.ts';
import type { RunHistory } from '../tool/index.ts';
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { peerLoadError } from '../optional-peers/index.ts';
import { PolicyFileError } from './errors.ts';
import { type PolicyRequest, contextOf, PolicyContextError } from './policy-request.ts';
import { joinReads, type PolicyReads, policyReads } from './policy-reads.ts';
import { argumentsTypeOf, type CedarType, POLICY_NAMESPACE, policySchema, type PolicyTool } from './policy-schema.ts';

/** One policy file's text, named by its path (errors say file and line). */
export interface PolicySource {
  readonly file: string;
  readonly text: string;
  /** The line of the file `text` starts at (a single policy handed to a tool's function). @default 1 */
  readonly line?: number;
}

/** A policy as compiled: where it is written, whether it is enforced, and whether its forbid asks for approval instead. */
export interface CompiledPolicy {
  readonly id: string;
  readonly file: string;
  readonly line: number;
  /** `shadow`: what it would decide is recorded, never enforced. */
  readonly mode: 'enforce' | 'shadow';
  /** Present: the call may run once this many distinct people approve it (`@approval` or `@approval("2")`). */
  readonly approval?: { readonly quorum: number };
  /** The tools it applies to: `all` when its scope does not name the action. */
  readonly actions: 'all' | readonly string[];
  /** Its text, as written. */
  readonly text: string;
  /** What of a request it reads (a decision sends Cedar only that). */
  readonly reads: PolicyReads;
}

/** What the policies decide for one call. */
export interface PolicyDecision {
  /** `forbid` wins over `approval`, which wins over `permit` (no enforced policy matched). */
  readonly effect: 'permit' | 'forbid' | 'approval';
  /** The enforced policies that decided it (a forbid's, else the approvals'). */
  readonly deciding: readonly string[];
  /** With `approval`: the most approvers any deciding policy asks for. */
  readonly quorum?: number;
  /** What shadow policies would have decided: recorded in the audit, never enforced. */
  readonly shadow: ReadonlyArray<{ readonly id: string; readonly effect: 'forbid' | 'approval' }>;
  /** The policy set's hash: which version decided. */
  readonly hash: string;
  /** Why the check itself failed (it then forbids: fail closed). */
  readonly error?: string;
}

/** A team's Cedar policies, compiled once (`compilePolicies`), ready to decide each call. */
export interface CompiledPolicySet {
  readonly hash: string;
  readonly policies: ReadonlyMap<string, CompiledPolicy>;
  /** Decides one call: permit, forbid, or ask for approval, with the policies that said so. */
  readonly decide: (request: PolicyRequest) => PolicyDecision;
  /**
   * Whether a policy that applies to this tool reads a context attribute: what is counted or read
   * for a call (`run`, `approvals`, `lastHour`) is counted or read then, and only then.
   */
  readonly readsContext: (tool: string, attribute: HistoryAttribute) => boolean;
}

/** The context attributes that cost a read or a count to build: the run's history, its approvals, the user's last hour. */
export type HistoryAttribute = 'run' | 'approvals' | 'lastHour';

const ANNOTATIONS = new Set(['id', 'mode', 'approval', 'description']);
const BASE = '__base_permit__';
const lineAt = (text: string, offset: number) => text.slice(0, Math.max(0, offset)).split('\n').length;
const describe = (error: CedarError) =>
  [error.message, error.sourceLocations?.[0]?.label, error.help].filter((part): part is string => Boolean(part)).join('; ');

/** One policy's annotations, checked: a misspelt mode or quorum never weakens a policy silently. */
const compiledOf = (
  id: string,
  where: Pick<CompiledPolicy, 'file' | 'line' | 'text' | 'actions' | 'reads'>,
  annotations: Readonly<Record<string, string>>,
): CompiledPolicy => {
  const { file, line } = where;
  for (const key of Object.keys(annotations))
    if (!ANNOTATIONS.has(key))
      throw new PolicyFileError(file, line, `unknown annotation @${key} (known: @${[...ANNOTATIONS].join(', @')})`);
  const mode = annotations.mode ?? 'enforce';
  if (mode !== 'enforce' && mode !== 'shadow') throw new PolicyFileError(file, line, `@mode must be "enforce" or "shadow", not "${mode}"`);
  let approval: CompiledPolicy['approval'];
  if (annotations.approval !== undefined) {
    const quorum = annotations.approval === '' ? 1 : Number(annotations.approval);
    if (!Number.isInteger(quorum) || quorum < 1 || quorum > 5)
      throw new PolicyFileError(file, line, `@approval takes a quorum from 1 to 5 ("2"), not "${annotations.approval}"`);
    approval = { quorum };
  }
  return { id, ...where, mode, ...(approval ? { approval } : {}) };
};

const idOf = (ref: CedarEntityRef) => ref.__entity?.id ?? ref.id ?? '';

/** The tools a policy's scope names (`action == A`, `action in [A, B]`), or all of them. */
const actionsOf = (constraint: CedarActionConstraint) =>
  constraint.op === 'All' ? ('all' as const) : (constraint.entities ?? (constraint.entity ? [constraint.entity] : [])).map(idOf);

/** Splits each file into its policies, each with its id (`@id`, else file:line), file and line. */
const splitSources = (cedar: Cedar, sources: readonly PolicySource[]) => {
  const texts: Record<string, string> = {};
  const compiled = new Map<string, CompiledPolicy>();
  for (const { file, text, line: start = 1 } of sources) {
    const parts = cedar.policySetTextToParts(text);
    if (parts.type === 'failure') {
      const error = parts.errors[0] as CedarError;
      throw new PolicyFileError(file, start + lineAt(text, error.sourceLocations?.[0]?.start ?? 0) - 1, describe(error));
    }
    if (parts.policy_templates.length > 0) throw new PolicyFileError(file, 1, 'templates (?principal, ?resource) are not supported');
    let cursor = 0;
    for (const part of parts.policies) {
      const offset = text.indexOf(part, cursor);
      cursor = offset + part.length;
      const line = start + lineAt(text, offset) - 1;
      const json = cedar.policyToJson(part);
      if (json.type === 'failure') throw new PolicyFileError(file, line, describe(json.errors[0] as CedarError));
      if (json.json.effect === 'permit')
        throw new PolicyFileError(
          file,
          line,
          'permit policies have no effect here: roles say who may call a tool; policies forbid a call or ask for approval (@approval forbid ...)',
        );
      // A bare annotation (`@approval`) has no value: read as "".
      const annotations = Object.fromEntries(Object.entries(json.json.annotations ?? {}).map(([k, v]) => [k, (v as string | null) ?? '']));
      const id = annotations.id || `${basename(file)}:${line}`;
      if (compiled.has(id)) throw new PolicyFileError(file, line, `policy id "${id}" is used twice`);
      compiled.set(
        id,
        compiledOf(
          id,
          { file, line, text: part, actions: actionsOf(json.json.action), reads: policyReads(json.json.conditions) },
          annotations,
        ),
      );
      texts[id] = part;
    }
  }
  return { texts, compiled };
};

/**
 * Compiles a deployment's policy files against the schema its tools generate: each file parsed,
 * each policy validated (an unknown tool, argument or attribute fails with file and line), then
 * the set prepared once for fast decisions. Cedar is loaded here, so a deployment without policies
 * never loads it.
 */
export const compilePolicies = async (
  sources: readonly PolicySource[],
  tools: readonly PolicyTool[],
  options: CompileOptions = {},
): Promise<CompiledPolicySet> => compilePoliciesWith(await loadCedar(), sources, tools, options);

/** Cedar's bindings, an optional peer: missing, an error that names the install command. */
const loadCedar = async (): Promise<Cedar> => {
  try {
    return await import('@cedar-policy/cedar-wasm/nodejs');
  } catch (error) {
    throw peerLoadError('policies', '@cedar-policy/cedar-wasm', error);
  }
};

export interface CompileOptions {
  /**
   * Validate against the schema the tools generate. A tool's function compiles the policies that
   * apply to it alone, already validated at synth against every tool (a policy may name others). @default true
   */
  readonly validate?: boolean;
  /** The hash decisions report: the whole set's, where these are a part of it. @default these policies' own */
  readonly hash?: string;
}

/** Checks the policies against the schema the tools generate: the first error, with file and line. */
const validateAgainst = (
  cedar: Cedar,
  tools: readonly PolicyTool[],
  texts: Record<string, string>,
  compiled: Map<string, CompiledPolicy>,
) => {
  const validation = cedar.validate({
    schema: policySchema(tools),
    policies: { staticPolicies: texts },
    validationSettings: { mode: 'strict' },
  });
  if (validation.type === 'failure') throw new PolicyFileError('(schema)', 1, describe(validation.errors[0] as CedarError));
  const invalid = validation.validationErrors[0];
  if (invalid) {
    const policy = compiled.get(invalid.policyId) as CompiledPolicy;
    const offset = invalid.error.sourceLocations?.[0]?.start ?? 0;
    throw new PolicyFileError(policy.file, policy.line + lineAt(texts[invalid.policyId] ?? '', offset) - 1, describe(invalid.error));
  }
};

/** The same, with Cedar already loaded (synth loads it synchronously: a construct cannot wait). */
export const compilePoliciesWith = (
  cedar: Cedar,
  sources: readonly PolicySource[],
  tools: readonly PolicyTool[],
  options: CompileOptions = {},
): CompiledPolicySet => {
  const { texts, compiled } = splitSources(cedar, sources);
  if (options.validate !== false) validateAgainst(cedar, tools, texts, compiled);
  // Prepared under the hash of these very texts (a tool's part of the set is not the whole set).
  const own = createHash('sha256')
    .update(JSON.stringify(Object.entries(texts).sort(([a], [b]) => a.localeCompare(b))))
    .digest('hex');
  const hash = options.hash ?? own;
  // One prepared set per tool, of the policies that apply to it: a decision evaluates those alone
  // (Cedar's answer is the same: a policy whose scope names other actions never matches).
  const reads = new Map<string, PolicyReads>();
  for (const tool of tools) {
    const applying = Object.fromEntries(Object.entries(texts).filter(([id]) => appliesTo(compiled.get(id) as CompiledPolicy, tool.name)));
    reads.set(tool.name, joinReads(Object.keys(applying).map((id) => (compiled.get(id) as CompiledPolicy).reads)));
    const prepared = cedar.preparsePolicySet(`${own}:${tool.name}`, {
      staticPolicies: { ...applying, [BASE]: 'permit (principal, action, resource);' },
    });
    if (prepared.type === 'failure') throw new PolicyFileError('(policies)', 1, describe(prepared.errors[0] as CedarError));
  }
  const argumentTypes = new Map(tools.map((tool) => [tool.name, argumentsTypeOf(tool)]));
  return {
    hash,
    policies: compiled,
    decide: (request) => decide(cedar, { own, hash, compiled, argumentTypes, reads }, request),
    readsContext: (tool, attribute) => {
      const read = reads.get(tool)?.context;
      return read === 'all' || (read?.includes(attribute) ?? false);
    },
  };
};

/** The refusal's message: the policies that forbade the call, or the check that failed (it then fails closed). */
export const policyRefusal = (tool: string, decision: Pick<PolicyDecision, 'deciding' | 'error'>): string =>
  decision.deciding.length > 0
    ? `${tool} was refused by policy ${decision.deciding.join(', ')}${decision.error ? ` (${decision.error.slice(0, 300)})` : ''}.`
    : `${tool} was refused by the policy check (${decision.error ?? 'it failed'}).`;

/** Whether a policy applies to a tool (its scope names it, or names no action). */
export const appliesTo = (policy: CompiledPolicy, tool: string): boolean => policy.actions === 'all' || policy.actions.includes(tool);

/** The policies that apply to one tool, as sources its function compiles (each at its file and line, so ids stay the same). */
export const policySourcesFor = (set: CompiledPolicySet, tool: string): PolicySource[] =>
  [...set.policies.values()].filter((p) => appliesTo(p, tool)).map(({ file, line, text }) => ({ file, line, text }));

/** Whether an enforced policy may ask for approval of this tool's calls (its function then reads approvals). */
export const mayAskApproval = (set: CompiledPolicySet, tool: string): boolean =>
  [...set.policies.values()].some((p) => p.mode === 'enforce' && p.approval !== undefined && appliesTo(p, tool));

const entity = (type: string, id: string) => ({ type: `${POLICY_NAMESPACE}::${type}`, id });

/** One decision: Cedar's answer read by our rules (forbid over approval over permit; shadow recorded; an error forbids). */
const decide = (
  cedar: Cedar,
  prepared: {
    readonly own: string;
    readonly hash: string;
    readonly compiled: ReadonlyMap<string, CompiledPolicy>;
    readonly argumentTypes: ReadonlyMap<string, CedarType>;
    readonly reads: ReadonlyMap<string, PolicyReads>;
  },
  request: PolicyRequest,
): PolicyDecision => {
  const { own, hash, compiled: policies, argumentTypes } = prepared;
  const reads = prepared.reads.get(request.tool);
  const closed = (error: string): PolicyDecision => ({ effect: 'forbid', deciding: [], shadow: [], hash, error });
  const argumentsType = argumentTypes.get(request.tool);
  if (!argumentsType) return closed(`no policy action for tool ${request.tool}`);
  let context;
  try {
    context = contextOf(request, argumentsType, reads?.context);
  } catch (error) {
    if (error instanceof PolicyContextError) return closed(error.message);
    throw error;
  }
  const principal = entity('User', request.userId);
  const answer = cedar.statefulIsAuthorized({
    principal,
    action: entity('Action', request.tool),
    resource: entity('Agent', 'agent'),
    context: context as never,
    // The caller's attributes only where a policy that applies reads them (each value costs a crossing into WebAssembly).
    entities:
      reads?.principal === false
        ? []
        : [{ uid: principal, attrs: { groups: [...request.groups], ...(request.tenant ? { tenant: request.tenant } : {}) }, parents: [] }],
    preparsedPolicySetId: `${own}:${request.tool}`,
  });
  if (answer.type === 'failure') return closed(describe(answer.errors[0] as CedarError));
  const { reason, errors } = answer.response.diagnostics;
  // A policy that could not be evaluated counts as matched: an enforced one fails closed.
  const matched = [...new Set([...reason, ...errors.map((e) => e.policyId)])].flatMap((id) => policies.get(id) ?? []);
  const enforced = matched.filter((p) => p.mode === 'enforce');
  const shadow = matched
    .filter((p) => p.mode === 'shadow')
    .map((p) => ({ id: p.id, effect: p.approval ? ('approval' as const) : ('forbid' as const) }));
  const forbids = enforced.filter((p) => !p.approval);
  // Named in the refusal: an enforced policy that could not be evaluated (an attribute the request lacks).
  const failed = errors.filter((e) => policies.get(e.policyId)?.mode === 'enforce');
  const error =
    failed.length > 0 ? { error: failed.map((e) => `policy ${e.policyId} could not be evaluated: ${describe(e.error)}`).join('; ') } : {};
  if (forbids.length > 0) return { effect: 'forbid', deciding: forbids.map((p) => p.id), shadow, hash, ...error };
  if (enforced.length > 0)
    return {
      effect: 'approval',
      deciding: enforced.map((p) => p.id),
      quorum: Math.max(...enforced.map((p) => p.approval?.quorum ?? 1)),
      shadow,
      hash,
    };
  return { effect: 'permit', deciding: [], shadow, hash };
};

/**
 * What an audit record keeps of a policy decision: which set decided (its hash), what it decided and
 * by which policies, what shadow policies would have decided, and the caller's groups and tenant
 * (with the record's own time, label and arguments: what `npm run policy:replay` decides on again).
 */
export interface PolicyRecord {
  readonly hash: string;
  readonly effect: PolicyDecision['effect'];
  readonly deciding?: readonly string[];
  readonly shadow?: PolicyDecision['shadow'];
  readonly groups: readonly string[];
  readonly tenant?: string;
  /** The run's history the decision read (`context.run`, `approvals`, `lastHour`), where the loop or MCP gave one: a replay reads it again. */
  readonly run?: RunHistory;
}

/** The record of a decision (a tool no policy names records `permit` under the set's hash: nothing applied). */
export const policyRecordOf = (
  decision: Pick<PolicyDecision, 'hash' | 'effect'> & Partial<Pick<PolicyDecision, 'deciding' | 'shadow'>>,
  caller: { readonly groups: readonly string[]; readonly tenant?: string | undefined },
  history?: RunHistory,
): PolicyRecord => ({
  hash: decision.hash,
  effect: decision.effect,
  ...(decision.deciding && decision.deciding.length > 0 ? { deciding: [...decision.deciding] } : {}),
  ...(decision.shadow && decision.shadow.length > 0 ? { shadow: decision.shadow.map((s) => ({ ...s })) } : {}),
  groups: [...caller.groups],
  ...(caller.tenant ? { tenant: caller.tenant } : {}),
  ...(history
    ? {
        run: {
          ...history,
          calls: { ...history.calls },
          ...(history.approvals ? { approvals: history.approvals.map((a) => ({ ...a })) } : {}),
        },
      }
    : {}),
});
