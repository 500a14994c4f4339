import { approvalSummary } from '../../../shared/approval/index.ts';
import type { ToolCallRequest } from '../../../shared/model/index.ts';
import { approvalQuorum, type FlowEvidence, FlowMode, screenToolCall } from '../../../shared/guards/index.ts';
import { type CompiledPolicySet, type PolicyDecision, policyRecordOf } from '../../../shared/policies/index.ts';
import { buildScreeningRecord, type DynamoDbAuditStore } from '../../../shared/audit/index.ts';
import { allSettled } from '../../../shared/aws/index.ts';
import { type CallRecord, type ModelPrices, type RunRecord, spentOf } from '../../../shared/runs/index.ts';
import { type RunHistory, type ToolRegistry, withDeclaration } from '../../../shared/tool/index.ts';
import {
  CallStatus,
  type ErrorCode,
  failureOf,
  statusOfCode,
  type ToolFailure,
  type ToolResult,
  ValidationFailedError,
} from '../../../shared/tool-result/index.ts';
import type { ApproveItem, ExecuteItem } from './loop-state.ts';

/** More calls than this in one turn are refused: it bounds the state payload and the fan-out. */
export const MAX_CALLS_PER_TURN = 12;
/** Arguments travel in the execution's state (256 KB): a turn's calls may carry this much in all. */
export const MAX_TURN_ARGUMENT_BYTES = 128 * 1024;

export const statusOf = (result: ToolResult): CallStatus => (result.ok ? CallStatus.EXECUTED : statusOfCode[result.error.code]);

/** A call screening refused: its record (with its result) and what the audit keeps of it. */
export interface RefusedCall {
  readonly record: CallRecord & { readonly result: ToolResult };
  readonly code: ErrorCode;
  readonly arguments: unknown;
  /** The policies' decision, where they refused it, and the run's history it read. */
  readonly policy?: PolicyDecision;
  readonly history?: RunHistory;
}

/** What screening made of one turn: the Map items of the calls that go on, and every call's record. */
export interface ScreenedTurn {
  readonly execute: ExecuteItem[];
  readonly approve: ApproveItem[];
  readonly calls: CallRecord[];
  readonly refused: RefusedCall[];
}

export interface ScreenDeps {
  readonly registry: ToolRegistry;
  /** What a sink's call becomes once the run carries untrusted content. @default 'approve' */
  readonly informationFlow?: FlowMode;
  /** The deployed function (or local handler) name of a tool. */
  readonly functionNameOf: (tool: string) => string;
  /** The deployment's policies (Cedar). @default none */
  readonly policies?: CompiledPolicySet;
  /** The model's prices: the run's spend in dollars (`context.run.usd`) where the deployment declares them. */
  readonly prices?: ModelPrices;
}

/** The refusal of a call that the turn's own bounds leave out, before its tool is even looked at. */
const turnBoundRefusal = (index: number, argumentBytes: number): string | undefined =>
  index >= MAX_CALLS_PER_TURN
    ? `At most ${MAX_CALLS_PER_TURN} tool calls per turn; this one was not made.`
    : argumentBytes > MAX_TURN_ARGUMENT_BYTES
      ? `The calls of one turn may carry at most ${MAX_TURN_ARGUMENT_BYTES / 1024} KB of arguments; this one was not made.`
      : undefined;

/** A call that was not made: refused at screening, its approval denied or expired, throttled, or its breaker open. */
const NOT_MADE: ReadonlySet<string> = new Set([
  CallStatus.REJECTED,
  CallStatus.DENIED,
  CallStatus.EXPIRED,
  CallStatus.RATE_LIMITED,
  CallStatus.CIRCUIT_OPEN,
]);

/**
 * The run's history before this turn, as the policies read it (`context.run`): each deployed tool's
 * calls made or under way in earlier iterations (every tool named, zeros included, so a policy may
 * read any of them), and the tokens spent. From the stored calls only, so a repeated step counts
 * as the first did.
 */
export const runHistoryOf = (
  registry: ToolRegistry,
  run: RunRecord,
  prior: readonly CallRecord[],
  iteration: number,
  prices?: ModelPrices,
): RunHistory => {
  const calls: Record<string, number> = Object.fromEntries(registry.tools.map((tool) => [tool.name, 0]));
  for (const call of prior)
    if (call.iteration < iteration && !NOT_MADE.has(call.status) && call.tool in calls) calls[call.tool] = (calls[call.tool] ?? 0) + 1;
  const spent = spentOf(run, prices);
  return { calls, tokens: spent.tokens, ...(spent.usd === null ? {} : { usd: spent.usd }) };
};

/**
 * The history one call is decided on: the run's, counted up to this call, with what the policies of
 * its tool read besides (the approvals given, its user's calls of it in the last hour, counting this
 * turn's calls of it that go on before this one). Only what they read travels with the call.
 */
const historyForCall = (
  deps: ScreenDeps,
  run: RunRecord,
  tool: string,
  tally: RunHistory,
  counts: Readonly<Record<string, number>>,
): RunHistory => {
  const facts = run.screenedWith;
  const reads = (attribute: 'approvals' | 'lastHour') => deps.policies?.readsContext(tool, attribute) === true;
  const earlierThisTurn = (counts[tool] ?? 0) - (tally.calls[tool] ?? 0);
  const lastHour = facts?.lastHour?.[tool];
  return {
    ...tally,
    calls: { ...counts },
    ...(reads('approvals') && facts?.approvals ? { approvals: facts.approvals } : {}),
    ...(reads('lastHour') && lastHour !== undefined ? { lastHour: lastHour + earlierThisTurn } : {}),
  };
};

/** The policies' part of the screening context: who asks, in which run, at the turn's time, with the run's history so far. */
const policyScreening = (deps: ScreenDeps, run: RunRecord, decidedAt: Date, history: RunHistory | undefined) =>
  deps.policies && history
    ? {
        policies: {
          set: deps.policies,
          request: { userId: run.owner, ...(run.tenant ? { tenant: run.tenant } : {}), runId: run.runId, now: decidedAt, history },
        },
      }
    : {};

/** A refused call's record, with its result now (and the policies' decision, where they refused it). */
const refusedCall = (
  screened: { readonly toolName: string; readonly error: ToolFailure; readonly policy?: PolicyDecision },
  call: { readonly callId: string; readonly modelCallId: string; readonly iteration: number; readonly arguments: unknown },
  history: RunHistory | undefined,
): RefusedCall => {
  const result: ToolResult = { ok: false, error: screened.error };
  const record = {
    callId: call.callId,
    modelCallId: call.modelCallId,
    tool: screened.toolName,
    iteration: call.iteration,
    status: statusOf(result),
    code: screened.error.code,
    result,
  };
  return {
    record,
    code: screened.error.code,
    arguments: call.arguments,
    ...(screened.policy ? { policy: screened.policy, ...(history ? { history } : {}) } : {}),
  };
};

/**
 * Step 4 of the loop, pure: screens every call the model asked for in one turn. Refused calls get
 * their result now, without a Map item. Deterministic, so a repeated step screens the stored turn
 * again and answers exactly as the first one did: policies read `decidedAt`, the time the turn was
 * first screened (the run's `updatedAt` once saved), never the clock.
 */
export const screenTurn = (
  deps: ScreenDeps,
  run: RunRecord,
  iteration: number,
  toolCalls: readonly ToolCallRequest[],
  evidence: FlowEvidence | undefined,
  decidedAt: Date,
  /** The run's calls so far (their stored records): what the policies' history counts. */
  prior: readonly CallRecord[] = [],
): ScreenedTurn => {
  // With policies only: counted before the turn, then each call this turn lets go on counts for the ones after it.
  const tally = deps.policies ? runHistoryOf(deps.registry, run, prior, iteration, deps.prices) : undefined;
  const counts: Record<string, number> = { ...tally?.calls };
  const caller = { userId: run.owner, groups: [...run.groups] };
  const turn: ScreenedTurn = { execute: [], approve: [], calls: [], refused: [] };
  let argumentBytes = 0;
  toolCalls.forEach((call: ToolCallRequest, index) => {
    const callId = `c${iteration}-${index + 1}`;
    argumentBytes += Buffer.byteLength(JSON.stringify(call.arguments ?? null));
    const refusal = turnBoundRefusal(index, argumentBytes);
    // The history this call is decided on (and sent with it, so its tool decides on the same).
    const seen = tally ? historyForCall(deps, run, typeof call.name === 'string' ? call.name : '', tally, counts) : undefined;
    const screened =
      refusal === undefined
        ? screenToolCall(deps.registry, call, {
            groups: run.groups,
            untrusted: run.untrusted,
            mode: deps.informationFlow ?? FlowMode.APPROVE,
            ...(evidence ? { evidence } : {}),
            ...policyScreening(deps, run, decidedAt, seen),
          })
        : {
            verdict: 'reject' as const,
            toolName: typeof call.name === 'string' ? call.name.slice(0, 64) : 'unknown',
            error: failureOf(new ValidationFailedError(refusal)),
          };
    if (screened.verdict === 'reject') {
      const refused = refusedCall(screened, { callId, modelCallId: call.id, iteration, arguments: call.arguments }, seen);
      turn.calls.push(refused.record);
      turn.refused.push(refused);
      return;
    }
    if (tally) counts[screened.tool.name] = (counts[screened.tool.name] ?? 0) + 1;
    // The label travels with every call (null: none), so a sink checks it again and the audit shows it;
    // with policies, the history the loop counted too, so the tool decides on the same.
    const invocation = {
      runId: run.runId,
      callId,
      tool: screened.tool.name,
      caller,
      arguments: screened.arguments,
      untrusted: run.untrusted ?? null,
      ...(screened.vouchedBy ? { vouchedBy: screened.vouchedBy } : {}),
      ...(seen ? { history: seen } : {}),
      receipt: true as const,
    };
    const item = { functionName: deps.functionNameOf(screened.tool.name), invocation };
    if (screened.verdict === 'approve') {
      turn.approve.push({
        ...item,
        summary: approvalSummary(screened.arguments),
        ...(screened.why ? { why: screened.why } : {}),
        effect: { risk: screened.tool.risk, reversible: screened.tool.reversible },
        ...(approvalQuorum(screened) > 1 ? { quorum: approvalQuorum(screened) } : {}),
      });
      turn.calls.push({ callId, modelCallId: call.id, tool: screened.tool.name, iteration, status: CallStatus.AWAITING_APPROVAL });
    } else {
      turn.execute.push(item);
      turn.calls.push({ callId, modelCallId: call.id, tool: screened.tool.name, iteration, status: CallStatus.RUNNING });
    }
  });
  return turn;
};

/** The audit records of the calls a step refused at screening; their time is the step's, so a repeated step writes the same keys. */
export const auditRefused = async (
  deps: Pick<ScreenDeps, 'registry'> & { readonly audit: Pick<DynamoDbAuditStore, 'put'> },
  run: RunRecord,
  refused: readonly RefusedCall[],
) => {
  const at = Date.parse(run.updatedAt);
  // Settled, all of them, before the step may fail (allSettled says why).
  await allSettled(
    refused.map(({ record, code, arguments: args, policy, history }) =>
      deps.audit.put(
        buildScreeningRecord({
          runId: run.runId,
          callId: record.callId,
          tool: record.tool,
          userId: run.owner,
          code,
          at,
          arguments: args,
          result: record.result,
          ...withDeclaration(deps.registry, record.tool),
          ...(run.untrusted ? { untrusted: run.untrusted } : {}),
          ...(policy ? { policy: policyRecordOf(policy, { groups: run.groups, tenant: run.tenant }, history) } : {}),
        }),
      ),
    ),
  );
};
