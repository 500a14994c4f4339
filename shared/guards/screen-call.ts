import type { ToolCallRequest } from '../model/index.ts';
import { type AnyTool, RiskClass, type ToolRegistry } from '../tool/index.ts';
import { type CompiledPolicySet, type PolicyDecision, policyRefusal, type PolicyRequest } from '../policies/index.ts';
import {
  PermissionDeniedError,
  PolicyDeniedError,
  UnknownToolError,
  ValidationFailedError,
  failureOf,
  type ToolFailure,
} from '../tool-result/index.ts';
import { roleAllowlist } from './role-allowlist.ts';
import { toolArguments } from './tool-arguments.ts';
import { type FlowEvidence, judgeFlow, type FlowMode, type UntrustedSource, type VouchedBy, vouching } from './information-flow.ts';

export type ScreenedCall =
  | { readonly verdict: 'execute'; readonly callId: string; readonly tool: AnyTool; readonly arguments: unknown }
  | { readonly verdict: 'approve'; readonly callId: string; readonly tool: AnyTool; readonly arguments: unknown }
  | { readonly verdict: 'reject'; readonly callId: string; readonly toolName: string; readonly error: ToolFailure };

// The requested name is model output: shown back only when it is a plain identifier, and cut.
const shownName = (name: unknown) => (typeof name === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(name) ? name : 'the requested tool');

/**
 * Screens one call the model asked for, before anything is invoked: an unknown tool, a tool
 * outside the caller's role or arguments that fail the schema are rejected with the structured
 * error (fed back to the model); a destructive tool needs approval; anything else may execute.
 */
export const screenCall = (registry: ToolRegistry, call: ToolCallRequest, groups: readonly string[]): ScreenedCall => {
  const tool = registry.resolve(call.name);
  if (!tool) {
    return {
      verdict: 'reject',
      callId: call.id,
      toolName: shownName(call.name),
      error: failureOf(new UnknownToolError(`There is no tool named ${shownName(call.name)}.`)),
    };
  }
  const role = roleAllowlist(tool, groups);
  if (!role.allow)
    return { verdict: 'reject', callId: call.id, toolName: tool.name, error: failureOf(new PermissionDeniedError(role.reason)) };
  const args = toolArguments(tool, call.arguments);
  if (!args.allow)
    return {
      verdict: 'reject',
      callId: call.id,
      toolName: tool.name,
      error: failureOf(new ValidationFailedError(`Invalid arguments for ${tool.name}: ${args.reason}`)),
    };
  return { verdict: tool.risk === RiskClass.DESTRUCTIVE ? 'approve' : 'execute', callId: call.id, tool, arguments: args.value };
};

/**
 * Information-flow control on a screened call: in a run that carries untrusted content, a call to
 * a sink waits for approval (whatever its risk class, saying why) or is refused, unless every sink
 * argument it declares is vouched for by the run's evidence (the request, the user's own records):
 * then it goes on as screened, carrying which voucher vouched for each.
 */
export const screenFlow = (
  screened: ScreenedCall,
  untrusted: UntrustedSource | null | undefined,
  mode: FlowMode,
  evidence?: FlowEvidence,
): ScreenedCall & { readonly why?: string; readonly vouchedBy?: VouchedBy } => {
  if (screened.verdict === 'reject') return screened;
  // One pass: what vouches for each sink argument, and which nothing vouched for (named in the reason).
  const { vouchedBy, unvouched } =
    untrusted && evidence ? vouching(screened.tool, screened.arguments, evidence) : { vouchedBy: undefined, unvouched: [] };
  const judged = judgeFlow(screened.tool, untrusted, mode, { arguments: screened.arguments, vouchedBy });
  if (judged.verdict === 'allow') return vouchedBy && screened.tool.reaches === 'external' ? { ...screened, vouchedBy } : screened;
  const flow =
    unvouched.length === 0
      ? judged
      : { ...judged, reason: `${judged.reason} Not vouched for by the request or the user's records: ${unvouched.join(', ')}.` };
  if (flow.verdict === 'refuse')
    return {
      verdict: 'reject',
      callId: screened.callId,
      toolName: screened.tool.name,
      error: failureOf(new PermissionDeniedError(flow.reason)),
    };
  return { ...screened, verdict: 'approve', why: flow.reason };
};

/** The distinct approvers a call that waits needs: the tool's `quorum`, or a deciding policy's if it asks more. */
export const approvalQuorum = (screened: { readonly tool: AnyTool; readonly policy?: PolicyDecision }): number =>
  Math.max(screened.tool.quorum ?? 1, screened.policy?.effect === 'approval' ? (screened.policy.quorum ?? 1) : 1);

/** What a call is screened against besides the tools: who calls, the label they carry, the mode, and what may vouch. */
export interface ScreeningContext {
  readonly groups: readonly string[];
  /** The label: the run's (the loop), or the user's (MCP). Null or undefined: no untrusted content. */
  readonly untrusted: UntrustedSource | null | undefined;
  readonly mode: FlowMode;
  /** What may vouch for a sink's arguments (the loop: the request and the run's records). @default nothing vouches */
  readonly evidence?: FlowEvidence;
  /** The deployment's policies, and who asks in which run and when. @default no policies */
  readonly policies?: {
    readonly set: CompiledPolicySet;
    readonly request: Pick<PolicyRequest, 'userId' | 'tenant' | 'runId' | 'now' | 'history'>;
  };
}

/**
 * The policies on a screened call: a forbid refuses it (`POLICY_DENIED`, naming the policy); an
 * approval makes it wait for a person, whatever else let it run (approvals add up: the reasons
 * are joined). The decision rides on the call, for the audit record.
 */
const screenPolicies = <S extends ScreenedCall & { readonly why?: string }>(
  screened: S,
  decision: PolicyDecision,
): ScreenedCall & { readonly why?: string; readonly policy?: PolicyDecision } => {
  if (screened.verdict === 'reject') return screened;
  if (decision.effect === 'forbid') {
    return {
      verdict: 'reject',
      callId: screened.callId,
      toolName: screened.tool.name,
      error: failureOf(new PolicyDeniedError(policyRefusal(screened.tool.name, decision))),
      policy: decision,
    };
  }
  if (decision.effect === 'approval') {
    const why = `Policy ${decision.deciding.join(', ')} asks for a person's approval.`;
    return { ...screened, verdict: 'approve', why: screened.why ? `${screened.why} ${why}` : why, policy: decision };
  }
  return { ...screened, policy: decision };
};

/**
 * The screening sequence, written once for the loop (CallModel) and MCP: the tool exists, the
 * caller's role may use it, its arguments fit its schema, then information flow (the label, and
 * the vouchers that let a sink's call through), then the deployment's policies (a forbid refuses,
 * an approval makes the call wait). A call past the first three carries the label it was judged
 * with, and the policies' decision. Deterministic (a policy reads the request's `now`).
 *
 * @example
 * screenToolCall(registry, { id: 'm1', name: 'send_email', arguments }, { groups: ['user'], untrusted: run.untrusted, mode: 'approve' });
 */
export const screenToolCall = (
  registry: ToolRegistry,
  call: ToolCallRequest,
  context: ScreeningContext,
): ScreenedCall & {
  readonly why?: string;
  readonly vouchedBy?: VouchedBy;
  readonly untrusted?: UntrustedSource;
  readonly policy?: PolicyDecision;
} => {
  const screened = screenCall(registry, call, context.groups);
  if (screened.verdict === 'reject') return screened;
  const flowed = {
    ...screenFlow(screened, context.untrusted, context.mode, context.evidence),
    ...(context.untrusted ? { untrusted: context.untrusted } : {}),
  };
  // A call the label already refused is not decided again (a forbid would refuse it the same).
  if (!context.policies || flowed.verdict === 'reject') return flowed;
  const decision = context.policies.set.decide({
    ...context.policies.request,
    tool: screened.tool.name,
    arguments: screened.arguments,
    groups: context.groups,
    untrusted: context.untrusted,
  });
  return screenPolicies(flowed, decision);
};
