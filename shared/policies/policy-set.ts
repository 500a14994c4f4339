import type * as CedarModule from '@cedar-policy/cedar-wasm/nodejs';
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { AnyTool } from '../tool/index.ts';
import { PolicyFileError } from './errors.ts';
import { type PolicyRequest, contextOf, PolicyContextError } from './policy-request.ts';
import { type CedarType, cedarTypeOf, POLICY_NAMESPACE, policySchema } from './policy-schema.ts';
import { toolSpec } from '../tool/index.ts';

/** One policy file's text, named by its path (errors say file and line). */
export interface PolicySource {
  readonly file: string;
  readonly text: string;
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

export interface CompiledPolicySet {
  readonly hash: string;
  readonly policies: ReadonlyMap<string, CompiledPolicy>;
  readonly decide: (request: PolicyRequest) => PolicyDecision;
}

/** Cedar's official bindings (`@cedar-policy/cedar-wasm/nodejs`), as loaded by whoever compiles. */
export type Cedar = typeof CedarModule;
interface DetailedError {
  readonly message: string;
  readonly help?: string | null;
  readonly sourceLocations?: ReadonlyArray<{ readonly start: number; readonly label?: string | null }>;
}

const ANNOTATIONS = new Set(['id', 'mode', 'approval', 'description']);
const BASE = '__base_permit__';
const lineAt = (text: string, offset: number) => text.slice(0, Math.max(0, offset)).split('\n').length;
const describe = (error: DetailedError) =>
  [error.message, error.sourceLocations?.[0]?.label, error.help].filter((part): part is string => Boolean(part)).join('; ');

/** One policy's annotations, checked: a misspelt mode or quorum never weakens a policy silently. */
const compiledOf = (id: string, file: string, line: number, annotations: Readonly<Record<string, string>>): CompiledPolicy => {
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
  return { id, file, line, mode, ...(approval ? { approval } : {}) };
};

/** Splits each file into its policies, each with its id (`@id`, else file:line), file and line. */
const splitSources = (cedar: Cedar, sources: readonly PolicySource[]) => {
  const texts: Record<string, string> = {};
  const compiled = new Map<string, CompiledPolicy>();
  for (const { file, text } of sources) {
    const parts = cedar.policySetTextToParts(text);
    if (parts.type === 'failure') {
      const error = parts.errors[0] as DetailedError;
      throw new PolicyFileError(file, lineAt(text, error.sourceLocations?.[0]?.start ?? 0), describe(error));
    }
    if (parts.policy_templates.length > 0) throw new PolicyFileError(file, 1, 'templates (?principal, ?resource) are not supported');
    let cursor = 0;
    for (const part of parts.policies) {
      const offset = text.indexOf(part, cursor);
      cursor = offset + part.length;
      const line = lineAt(text, offset);
      const json = cedar.policyToJson(part);
      if (json.type === 'failure') throw new PolicyFileError(file, line, describe(json.errors[0] as DetailedError));
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
      compiled.set(id, compiledOf(id, file, line, annotations));
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
export const compilePolicies = async (sources: readonly PolicySource[], tools: readonly AnyTool[]): Promise<CompiledPolicySet> =>
  compilePoliciesWith(await import('@cedar-policy/cedar-wasm/nodejs'), sources, tools);

/** The same, with Cedar already loaded (synth loads it synchronously: a construct cannot wait). */
export const compilePoliciesWith = (cedar: Cedar, sources: readonly PolicySource[], tools: readonly AnyTool[]): CompiledPolicySet => {
  const { texts, compiled } = splitSources(cedar, sources);
  const schema = policySchema(tools);
  const validation = cedar.validate({ schema, policies: { staticPolicies: texts }, validationSettings: { mode: 'strict' } });
  if (validation.type === 'failure') throw new PolicyFileError('(schema)', 1, describe(validation.errors[0] as DetailedError));
  const invalid = validation.validationErrors[0];
  if (invalid) {
    const policy = compiled.get(invalid.policyId) as CompiledPolicy;
    const offset = (invalid.error as DetailedError).sourceLocations?.[0]?.start ?? 0;
    throw new PolicyFileError(policy.file, policy.line + lineAt(texts[invalid.policyId] ?? '', offset) - 1, describe(invalid.error));
  }
  const hash = createHash('sha256')
    .update(JSON.stringify(Object.entries(texts).sort(([a], [b]) => a.localeCompare(b))))
    .digest('hex');
  const prepared = cedar.preparsePolicySet(hash, { staticPolicies: { ...texts, [BASE]: 'permit (principal, action, resource);' } });
  if (prepared.type === 'failure') throw new PolicyFileError('(policies)', 1, describe(prepared.errors[0] as DetailedError));
  const argumentTypes = new Map(
    tools.map((tool) => [tool.name, cedarTypeOf(toolSpec(tool).inputSchema as never) ?? ({ type: 'Record', attributes: {} } as CedarType)]),
  );
  return { hash, policies: compiled, decide: (request) => decide(cedar, hash, compiled, argumentTypes, request) };
};

const entity = (type: string, id: string) => ({ type: `${POLICY_NAMESPACE}::${type}`, id });

/** One decision: Cedar's answer read by our rules (forbid over approval over permit; shadow recorded; an error forbids). */
const decide = (
  cedar: Cedar,
  hash: string,
  policies: ReadonlyMap<string, CompiledPolicy>,
  argumentTypes: ReadonlyMap<string, CedarType>,
  request: PolicyRequest,
): PolicyDecision => {
  const closed = (error: string): PolicyDecision => ({ effect: 'forbid', deciding: [], shadow: [], hash, error });
  const argumentsType = argumentTypes.get(request.tool);
  if (!argumentsType) return closed(`no policy action for tool ${request.tool}`);
  let context;
  try {
    context = contextOf(request, argumentsType);
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
    entities: [
      { uid: principal, attrs: { groups: [...request.groups], ...(request.tenant ? { tenant: request.tenant } : {}) }, parents: [] },
      { uid: entity('Agent', 'agent'), attrs: {}, parents: [] },
    ],
    preparsedPolicySetId: hash,
  });
  if (answer.type === 'failure') return closed(describe(answer.errors[0] as DetailedError));
  const { reason, errors } = answer.response.diagnostics;
  // A policy that could not be evaluated counts as matched: an enforced one fails closed.
  const matched = [...new Set([...reason, ...errors.map((e) => e.policyId)])].flatMap((id) => policies.get(id) ?? []);
  const enforced = matched.filter((p) => p.mode === 'enforce');
  const shadow = matched
    .filter((p) => p.mode === 'shadow')
    .map((p) => ({ id: p.id, effect: p.approval ? ('approval' as const) : ('forbid' as const) }));
  const forbids = enforced.filter((p) => !p.approval);
  if (forbids.length > 0) return { effect: 'forbid', deciding: forbids.map((p) => p.id), shadow, hash };
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
