import {
  approvalIdOf,
  ApprovalStatus,
  approvalSummary,
  type DynamoDbApprovalStore,
  type SlackNotifier,
} from '../../../shared/approval/index.ts';
import { createHash, randomUUID } from 'node:crypto';
import { approvalsGiven, buildScreeningRecord, type DynamoDbAuditStore, reachedTool } from '../../../shared/audit/index.ts';
import { hashCanonical } from '../../../shared/canonical-json/index.ts';
import {
  approvalQuorum,
  FlowMode,
  offeredTools,
  type ScreenedCall,
  screenToolCall,
  type UntrustedSource,
} from '../../../shared/guards/index.ts';
import { CallStatus, type ErrorCode, failureOf, type ToolFailure, type ToolResult } from '../../../shared/tool-result/index.ts';
import {
  type AnyTool,
  RiskClass,
  type RunHistory,
  type ToolInvocation,
  type ToolRegistry,
  toolSpec,
  withDeclaration,
} from '../../../shared/tool/index.ts';
import { createRequestApproval } from '../../orchestration/request-approval/request-approval.ts';
import type { Identity } from '../api-types.ts';
import { mcpRunIdOf } from './mcp-run-id.ts';
import type { SpendBudgets, SpendGuard } from '../../../shared/budgets/index.ts';
import {
  type CompiledPolicySet,
  type HistoryAttribute,
  LAST_HOUR_MS,
  type PolicyDecision,
  policyRecordOf,
} from '../../../shared/policies/index.ts';
import { NO_TENANT, spenderOf } from '../spender.ts';
import type { DynamoDbMcpLabelStore } from './mcp-label-store.ts';

export interface McpToolDeps {
  readonly registry: ToolRegistry;
  readonly openBreakers: (tools: readonly string[]) => Promise<ReadonlySet<string>>;
  /** Invokes a tool's function (its whole guard pipeline) and answers its result. */
  readonly invokeTool: (tool: string, invocation: ToolInvocation) => Promise<ToolResult>;
  readonly approvals: DynamoDbApprovalStore;
  /** Writes the refusals; reads the session's calls and approvals, and the user's last hour, where a policy reads them. */
  readonly audit: Pick<DynamoDbAuditStore, 'put' | 'listByRun' | 'countCallsSince'>;
  /** The user's information-flow label over MCP: read for a sink's call, marked when untrusted content comes in. */
  readonly labels: Pick<DynamoDbMcpLabelStore, 'get' | 'mark'>;
  /** What a sink's call becomes once the session carries untrusted content. @default 'approve' */
  readonly informationFlow?: FlowMode;
  /** How long an approver has to decide a call asked for over MCP. */
  readonly approvalSeconds: number;
  /** Tells approvers of a call asked for over MCP, as the loop's approvals are told (Slack, when it is on). */
  readonly notifier?: Pick<SlackNotifier, 'postRequest'>;
  /** Told when approvers could not be told; the approval stands and can be decided over the API. */
  readonly onNotifyError?: (error: unknown) => void;
  /** @default Date.now */
  readonly now?: () => number;
  /** Budgets per user and tenant over days and months (GuardedAgent's `spendBudgets`): each call is one tool call. @default none */
  readonly spend?: { readonly budgets: SpendBudgets; readonly guard: Pick<SpendGuard, 'reserveToolCalls'> };
  /** The deployment's policies (Cedar), checked as the loop checks them. @default none */
  readonly policies?: CompiledPolicySet;
}

/**
 * The session's history, where a policy that applies to the tool reads it: each tool's calls made so
 * far in the session and the approvals given in it (from its audit records: one query), and the
 * user's calls of the tool in the last hour (one count on the calls index). No model runs over MCP:
 * no tokens. A count that cannot be read is left out: a policy that reads it refuses the call.
 */
const sessionHistory = async (call: McpCall, policies: CompiledPolicySet, tool: string): Promise<{ history?: RunHistory }> => {
  const reads = (attribute: HistoryAttribute) => policies.readsContext(tool, attribute);
  if (!reads('run') && !reads('approvals') && !reads('lastHour')) return {};
  const calls: Record<string, number> = Object.fromEntries(call.deps.registry.tools.map((t) => [t.name, 0]));
  const made = new Set<string>();
  const [records, lastHour] = await Promise.all([
    call.deps.audit.listByRun(call.runId),
    reads('lastHour')
      ? call.deps.audit.countCallsSince(tool, call.identity.userId, new Date(call.now() - LAST_HOUR_MS)).catch(() => undefined)
      : undefined,
  ]);
  for (const record of records)
    if (reachedTool(record) && record.status !== CallStatus.REJECTED && record.tool in calls && !made.has(record.callId)) {
      made.add(record.callId);
      calls[record.tool] = (calls[record.tool] ?? 0) + 1;
    }
  const approvals = reads('approvals') ? approvalsGiven(records) : undefined;
  return {
    history: {
      calls,
      tokens: 0,
      ...(approvals ? { approvals } : {}),
      ...(lastHour === undefined ? {} : { lastHour }),
    },
  };
};

/** A tool as MCP's tools/list gives it. */
export interface McpTool {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: Record<string, unknown>;
  readonly annotations: { readonly readOnlyHint: boolean; readonly destructiveHint: boolean; readonly idempotentHint: boolean };
}

/** MCP's CallToolResult: text for any client, the structured result beside it. */
export interface McpCallResult {
  readonly content: Array<{ readonly type: 'text'; readonly text: string }>;
  readonly structuredContent?: Record<string, unknown>;
  readonly isError: boolean;
  [key: string]: unknown;
}

/** Exactly what `GET /tools` offers the caller: the tools of their role whose breaker is closed. */
export const listMcpTools = async (identity: Identity, deps: McpToolDeps): Promise<McpTool[]> => {
  const open = await deps.openBreakers(deps.registry.tools.map((t) => t.name));
  return offeredTools(deps.registry, identity.groups, open).tools.map((tool) => ({
    ...toolSpec(tool),
    annotations: {
      readOnlyHint: tool.risk === RiskClass.READ,
      destructiveHint: tool.risk === RiskClass.DESTRUCTIVE,
      // Every call is idempotent on (session, call); a repeated tools/call is a new call.
      idempotentHint: false,
    },
  }));
};

const result = (body: Record<string, unknown>, isError: boolean): McpCallResult => ({
  content: [{ type: 'text', text: JSON.stringify(body) }],
  structuredContent: body,
  isError,
});
const failed = (error: { code: ErrorCode; message: string; suggestion?: string; retryable?: boolean }) =>
  result(
    {
      ok: false,
      error: { code: error.code, message: error.message, suggestion: error.suggestion ?? '', retryable: error.retryable ?? false },
    },
    true,
  );

/**
 * A destructive call's id: the same for the same caller, session, tool and arguments, so asking
 * again finds its approval (and, approved, runs it once) instead of asking anew.
 */
const destructiveCallId = (identity: Identity, session: string, tool: string, args: unknown) =>
  `mcp-${createHash('sha256')
    .update(JSON.stringify([identity.userId, session, tool, hashCanonical(args)]))
    .digest('hex')
    .slice(0, 32)}`;

/**
 * Information-flow control for MCP: the label follows the user, not the session. A model's context
 * outlives an MCP session (a reconnect, a restart, a second client of the same user), so every
 * session of the user carries the label until it lapses or a person clears it. Read only for a
 * call to a sink, in one request.
 */
const userLabel = async (name: string, identity: Identity, deps: McpToolDeps): Promise<UntrustedSource | undefined> => {
  if (deps.registry.resolve(name)?.reaches !== 'external') return undefined;
  const label = await deps.labels.get(identity.userId);
  return label ? { tool: label.tool, callId: label.callId } : undefined;
};

/**
 * What a tool answered, given to the MCP client: a source's data only once the user's label says
 * it came in (a label that cannot be written fails the call closed: the content never reaches a
 * model that is not marked as having read it).
 */
const answerOf = async (
  answer: ToolResult,
  tool: { readonly name: string; readonly output?: string },
  source: { readonly identity: Identity; readonly runId: string; readonly callId: string },
  deps: McpToolDeps,
  extra: Record<string, unknown> = {},
): Promise<McpCallResult> => {
  if (!answer.ok) return failed(answer.error);
  if (tool.output === 'untrusted') {
    try {
      await deps.labels.mark(source.identity.userId, { tool: tool.name, callId: source.callId, runId: source.runId });
    } catch (error) {
      return failed(failureOf(error));
    }
  }
  return result({ ok: true, data: answer.data, ...extra }, false);
};

/**
 * tools/call: screened as the loop screens a model's call (unknown tool, role, schema: refused
 * and audited, never invoked), then the tool's own function with every guard. A destructive call
 * asks for approval and answers that it waits; called again with the same arguments it answers
 * the same until an approver decides, then runs once (its function checks the approval again).
 */
export const callMcpTool = async (
  identity: Identity,
  session: string,
  name: string,
  args: unknown,
  deps: McpToolDeps,
): Promise<McpCallResult> => {
  const call: McpCall = {
    identity,
    session,
    args,
    deps,
    now: deps.now ?? Date.now,
    runId: mcpRunIdOf(session),
    caller: { userId: identity.userId, groups: [...identity.groups] },
  };
  // Where a policy counts calls, the session's so far: the screening and the tool's own check read the same.
  const history = deps.policies ? await sessionHistory(call, deps.policies, name) : {};
  // Screened as the loop screens (one sequence, shared/guards), with the user's label; nothing vouches over MCP (no request to read).
  const screened = screenToolCall(
    deps.registry,
    { id: 'mcp', name, arguments: args },
    {
      groups: identity.groups,
      untrusted: await userLabel(name, identity, deps),
      mode: deps.informationFlow ?? FlowMode.APPROVE,
      ...(deps.policies
        ? {
            policies: {
              set: deps.policies,
              request: {
                userId: identity.userId,
                runId: call.runId,
                now: new Date(call.now()),
                ...history,
              },
            },
          }
        : {}),
    },
  );
  if (screened.verdict === 'reject') return refusedCall(call, screened.toolName, screened.error, screened.untrusted, screened.policy);
  // A sink's call carries the session's label, so its function checks it again (and the history the policies read).
  const label = { ...(screened.untrusted ? { untrusted: screened.untrusted } : {}), ...history };
  // The breaker keeps an open tool out of tools/list; a call named anyway meets it in the function.
  if (screened.verdict === 'approve') return callOnceApproved(call, screened, label);
  const refusal = await overBudget(call, screened.tool);
  if (refusal) return refusal;
  const callId = `mcp-${randomUUID()}`;
  const { runId, caller } = call;
  const answer = await deps.invokeTool(screened.tool.name, {
    runId,
    callId,
    tool: screened.tool.name,
    caller,
    arguments: screened.arguments,
    ...label,
  });
  return answerOf(answer, screened.tool, { identity, runId, callId }, deps);
};

/** One tools/call: who asks, in which session, with what, and the run its audit records belong to. */
interface McpCall {
  readonly identity: Identity;
  readonly session: string;
  readonly args: unknown;
  readonly deps: McpToolDeps;
  readonly now: () => number;
  readonly runId: string;
  readonly caller: { readonly userId: string; readonly groups: string[] };
}

/** A call refused before any function: audited as an attempt that never reached its tool, and answered as a failure. */
const refusedCall = async (call: McpCall, toolName: string, error: ToolFailure, untrusted?: UntrustedSource, policy?: PolicyDecision) => {
  const { deps } = call;
  await deps.audit.put(
    buildScreeningRecord({
      runId: call.runId,
      callId: `mcp-${randomUUID()}`,
      tool: toolName,
      userId: call.identity.userId,
      code: error.code,
      at: call.now(),
      arguments: call.args,
      result: { ok: false, error },
      ...withDeclaration(deps.registry, toolName),
      ...(untrusted ? { untrusted } : {}),
      ...(policy ? { policy: policyRecordOf(policy, call.identity) } : {}),
    }),
  );
  return failed(error);
};

/** The caller's budgets over days and months (GuardedAgent's `spendBudgets`): one tool call reserved, or refused. */
const overBudget = async (call: McpCall, tool: AnyTool): Promise<McpCallResult | undefined> => {
  const { spend } = call.deps;
  if (!spend) return undefined;
  const spender = spenderOf(call.identity, spend.budgets);
  if (!spender) return refusedCall(call, tool.name, NO_TENANT);
  const verdict = await spend.guard.reserveToolCalls(spender, 1);
  if (verdict.allow) return undefined;
  return refusedCall(call, tool.name, {
    code: 'BUDGET_EXHAUSTED',
    message: `Not called: ${verdict.reason}.`,
    suggestion: "Wait until the budget's window resets, or ask an admin to raise it.",
    retryable: false,
  });
};

/**
 * A call that needs a person: its approval asked for (once), then the same answer, that it waits,
 * until an approver decides; then its function runs once, from the recorded approval.
 */
const callOnceApproved = async (
  call: McpCall,
  screened: Extract<ScreenedCall, { verdict: 'approve' }> & { readonly why?: string; readonly policy?: PolicyDecision },
  label: { readonly untrusted?: UntrustedSource; readonly history?: RunHistory },
): Promise<McpCallResult> => {
  const { deps, identity, runId, caller, now } = call;
  const { tool } = screened;
  const callId = destructiveCallId(identity, call.session, tool.name, screened.arguments);
  const approvalId = approvalIdOf(runId, callId);
  let approval = await deps.approvals.get(approvalId);
  if (!approval) {
    // A call that waits for approval spends its budget when first asked for: asking again costs nothing.
    const refusal = await overBudget(call, tool);
    if (refusal) return refusal;
    // Asked for as the loop asks (a created approval, or the one a racing request created), with no execution waiting.
    await createRequestApproval({
      approvals: deps.approvals,
      timeoutSeconds: deps.approvalSeconds,
      now,
      ...(deps.notifier ? { notifier: deps.notifier } : {}),
      ...(deps.onNotifyError ? { onNotifyError: deps.onNotifyError } : {}),
    })({
      // Nobody waits: the caller calls the tool again once it is decided.
      notify: 'none',
      item: {
        functionName: tool.name,
        invocation: { runId, callId, tool: tool.name, caller, arguments: screened.arguments, ...label },
        summary: approvalSummary(screened.arguments),
        ...(screened.why ? { why: screened.why } : {}),
        ...(approvalQuorum(screened) > 1 ? { quorum: approvalQuorum(screened) } : {}),
      },
    });
    approval = await deps.approvals.get(approvalId);
  }
  if (approval?.status === ApprovalStatus.PENDING && approval.expiresAt * 1000 <= now()) {
    await deps.approvals.expire(approvalId);
    approval = await deps.approvals.get(approvalId);
  }
  if (!approval || approval.status === ApprovalStatus.PENDING)
    return result(
      {
        ok: false,
        status: 'awaiting_approval',
        approvalId,
        expiresAt: approval ? new Date(approval.expiresAt * 1000).toISOString() : null,
        message: `${tool.name} waits for an approver (approval ${approvalId}). Call it again with the same arguments to get its result once decided.`,
      },
      false,
    );
  // Approved, denied or expired: the function decides, from the recorded approval (and audits the attempt).
  const answer = await deps.invokeTool(tool.name, {
    runId,
    callId,
    tool: tool.name,
    caller,
    arguments: screened.arguments,
    approvalId,
    ...label,
  });
  return answerOf(answer, tool, { identity, runId, callId }, deps, { approvalId });
};
