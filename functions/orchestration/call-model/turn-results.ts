import { redact } from '../../../shared/redaction/index.ts';
import type { ConversationMessage, ToolCallRequest } from '../../../shared/model/index.ts';
import { approvalIdOf } from '../../../shared/approval/index.ts';
import { attemptIdOf, buildAuditRecord, buildRecoveredAttemptRecord, type DynamoDbAuditStore } from '../../../shared/audit/index.ts';
import { allSettled } from '../../../shared/aws/index.ts';
import { type IdempotencyRecord, RecordStatus } from '../../../shared/idempotency/index.ts';
import type { CallRecord, RunRecord, RunSnapshot } from '../../../shared/runs/index.ts';
import { CallStatus, isToolCrash, TOOL_CRASHED_FAILURE, type ToolReceipt, type ToolResult } from '../../../shared/tool-result/index.ts';
import type { CallAnswer, LoopState } from './loop-state.ts';
import type { CallRef } from './stored-call.ts';
import { statusOf } from './screen-turn.ts';
import { type UntrustedSource, untrustedSourceOf } from '../../../shared/guards/index.ts';
import { type ToolRegistry, withDeclaration } from '../../../shared/tool/index.ts';

export interface TurnResultDeps {
  /**
   * Calls' idempotency records, by call id, in one read: the data of a call that answered with a
   * receipt, and what a call whose function crashed left behind (its result, or the claim of the
   * attempt that died). A call with no record is absent.
   */
  readonly storedCallsOf: (runId: string, calls: readonly CallRef[]) => Promise<ReadonlyMap<string, IdempotencyRecord>>;
  readonly audit: Pick<DynamoDbAuditStore, 'put' | 'putIfAbsent'>;
  /** The declarations, for the version each record names. */
  readonly registry: Pick<ToolRegistry, 'resolve'>;
  readonly events?: { readonly approvalExpired?: (tool: string) => void };
  /**
   * An approval the run no longer waits for: mark it expired, so no decision is taken for it any
   * more, and tell the approvers (its Slack message). `expired`: it ran out of time (a failure is
   * ignored: the store's own expiry already refuses decisions). `failed`: its wait failed (the
   * RequestApproval task), while the approval may still be pending: it must be closed before the
   * step is saved, or a late decision would be taken for a call that never runs, and audited after
   * the run sealed its trail (a failure fails the step, which is retried).
   */
  readonly onApprovalClosed?: (approvalId: string, tool: string, why: ApprovalClosed) => Promise<void>;
}

/** Why the run stopped waiting for an approval without a decision. */
export type ApprovalClosed = 'expired' | 'failed';

/** A call that never reached its tool (its approver said no, or nobody decided): its span is written once the step is saved. */
export interface UnreachedCall {
  readonly record: CallRecord;
  readonly result: ToolResult;
  readonly refusedBy: 'screening' | 'approval';
  readonly askedAt: number;
  readonly approvalId?: string;
}

/** The last turn's results, ready to go back into the conversation. */
export interface LastTurn {
  readonly appended: ConversationMessage[];
  /** The records of the calls that got their result now. */
  readonly calls: CallRecord[];
  readonly unreached: UnreachedCall[];
  /** The first call of the turn that brought untrusted content in (a tool whose output is untrusted returned data). */
  readonly untrusted?: UntrustedSource;
}

type Assistant = Extract<ConversationMessage, { role: 'assistant' }>;

/**
 * What the state machine handed back, by call id: each tool function names the call it answered
 * (and the crash state names the call it caught), each approval branch carries its item. An answer
 * that names no call pairs with nothing, so it can never be taken for another call's result.
 */
export const answersOf = (state: LoopState): Map<string, ToolResult | ToolReceipt> => {
  const answers = new Map<string, ToolResult | ToolReceipt>();
  for (const { result } of state.executed ?? []) {
    const { callId, ...answer }: CallAnswer = result;
    if (typeof callId === 'string') answers.set(callId, answer as ToolResult | ToolReceipt);
  }
  // An approved call's answer names its call too; the model gets the result alone.
  for (const approval of state.approvals ?? []) {
    const { callId: _named, ...answer }: CallAnswer = approval.outcome.result;
    answers.set(approval.invocation.callId, answer as ToolResult | ToolReceipt);
  }
  return answers;
};

/**
 * Step 1 of the loop: the results of the previous turn go back into the conversation, in the order
 * of its calls. Receipts are read from the calls' idempotency records; a call whose function
 * crashed (or whose answer is missing) is settled from what it left behind; expired approvals get
 * their audit record and their approvers are told.
 */
export const resultsOfLastTurn = async (deps: TurnResultDeps, snapshot: RunSnapshot, state: LoopState): Promise<LastTurn> => {
  const last = snapshot.messages.at(-1);
  if (last?.role !== 'assistant' || last.toolCalls.length === 0) return { appended: [], calls: [], unreached: [] };
  const { run } = snapshot;
  const answers = answersOf(state);
  const records = snapshot.calls.filter((c) => c.iteration === run.iteration);
  const approved = new Set((state.approvals ?? []).map((a) => a.invocation.callId));
  /** Calls whose approver did not say yes: their tool never ran. */
  const notApproved = new Set((state.approvals ?? []).filter((a) => a.decision?.decision !== 'approve').map((a) => a.invocation.callId));
  /** Calls an approver edited before approving: the model is told what ran (redacted). */
  const edits = new Map(
    (state.approvals ?? []).flatMap((a) =>
      a.decision?.decision === 'approve' && a.decision.arguments ? [[a.invocation.callId, a.decision.arguments] as const] : [],
    ),
  );
  const askedAt = Date.parse(run.updatedAt);
  const calls: CallRecord[] = [];
  const unreached: UnreachedCall[] = [];
  const expired: CallRecord[] = [];

  const answerOf = (record: CallRecord) =>
    record.result ?? answers.get(record.callId) ?? { ok: false as const, error: TOOL_CRASHED_FAILURE };
  // Receipts and crashes are settled from the calls' idempotency records: all read in one request.
  const toRead = records.filter((record) => {
    const answer = answerOf(record);
    return 'receipt' in answer || isToolCrash(answer);
  });
  const stored = await deps.storedCallsOf(run.runId, toRead);
  const results = await Promise.all(
    records.map(async (record) => {
      const answer = answerOf(record);
      const result: ToolResult =
        'receipt' in answer
          ? { ok: true, data: receiptData(run, record, stored.get(record.callId)) }
          : isToolCrash(answer)
            ? await behindCrash(deps, run, last, record, stored.get(record.callId), answer, {
                approved: approved.has(record.callId),
                askedAt,
              })
            : answer;
      if (!result.ok && result.error.code === 'APPROVAL_EXPIRED') {
        deps.events?.approvalExpired?.(record.tool);
        expired.push(record);
      }
      if (!record.result) calls.push({ ...record, status: statusOf(result), ...(result.ok ? {} : { code: result.error.code }) });
      if (notApproved.has(record.callId))
        unreached.push({ record, result, refusedBy: 'approval', askedAt, approvalId: approvalIdOf(run.runId, record.callId) });
      const edit = edits.get(record.callId);
      return {
        callId: record.modelCallId,
        result: edit
          ? {
              ...result,
              editedByApprover: {
                arguments: redact(edit),
                note: 'An approver changed the arguments before approving; the call ran with these.',
              },
            }
          : result,
      };
    }),
  );
  await auditExpired(deps, run, last, expired, askedAt);
  await closeFailedWaits(deps, run, state, records);
  const untrusted = untrustedSourceOf(
    records.map((record, i) => ({ tool: deps.registry.resolve(record.tool), callId: record.callId, ok: results[i]?.result.ok === true })),
  );
  return { appended: [{ role: 'tool', results }], calls, unreached, ...(untrusted ? { untrusted } : {}) };
};

/** The data of a call that answered with a receipt: it is in the call's idempotency record. */
const receiptData = (run: RunRecord, record: CallRecord, stored: IdempotencyRecord | undefined): unknown => {
  if (stored?.status !== RecordStatus.COMPLETED) throw new Error(`No completed result for ${record.tool} ${run.runId} ${record.callId}`);
  return stored.result;
};

/**
 * A tool function that failed as a Lambda may have done its work first. Its idempotency record
 * says: a stored result is the call's result (the model is told it was done), and its attempt
 * gets the executed record it died before writing; a claim left held is an attempt interrupted
 * mid-call (audited so, the model told it failed). Keyed by the attempt, so written once.
 */
const behindCrash = async (
  deps: TurnResultDeps,
  run: RunRecord,
  turn: Assistant,
  record: CallRecord,
  stored: IdempotencyRecord | undefined,
  crashed: ToolResult,
  context: { readonly approved: boolean; readonly askedAt: number },
): Promise<ToolResult> => {
  const facts = {
    runId: run.runId,
    callId: record.callId,
    tool: record.tool,
    userId: run.owner,
    arguments: argumentsOf(turn, record),
    ...(context.approved ? { approvalId: approvalIdOf(run.runId, record.callId) } : {}),
    ...withDeclaration(deps.registry, record.tool),
  };
  // No record: it died before it claimed the call, so before its handler could do anything.
  const attempt = stored?.attempt ?? { attemptId: attemptIdOf.crashed(record.callId), startedAt: context.askedAt };
  if (stored?.status === RecordStatus.COMPLETED) {
    await deps.audit.putIfAbsent(
      buildRecoveredAttemptRecord({
        ...facts,
        attempt,
        outcome: 'executed',
        ...(stored.completedAt === undefined ? {} : { endedAt: stored.completedAt }),
        result: stored.result,
      }),
    );
    return { ok: true, data: stored.result };
  }
  await deps.audit.putIfAbsent(buildRecoveredAttemptRecord({ ...facts, attempt, outcome: 'interrupted' }));
  return crashed;
};

/** Closes each approval whose wait failed (no decision, not expired): one at a time, any failure thrown. */
const closeFailedWaits = async (deps: TurnResultDeps, run: RunRecord, state: LoopState, records: readonly CallRecord[]) => {
  for (const approval of state.approvals ?? []) {
    const { result } = approval.outcome;
    if (approval.decision !== undefined || result.ok || result.error.code === 'APPROVAL_EXPIRED') continue;
    const tool = records.find((r) => r.callId === approval.invocation.callId)?.tool ?? '';
    await deps.onApprovalClosed?.(approvalIdOf(run.runId, approval.invocation.callId), tool, 'failed');
  }
};

/**
 * Closes every approval a failed run leaves pending (MarkFailed): the call waits for nobody any
 * more. The step that would have closed a failed wait's approval failed itself, through its retries
 * (found by the fault simulation: seed 1141, RequestApproval crashed after recording the approval,
 * then CallModel's table was down). Before the run is marked failed, any failure thrown: the step is retried.
 */
export const closeOrphanedApprovals = async (
  deps: Pick<TurnResultDeps, 'onApprovalClosed'>,
  run: RunRecord,
  calls: readonly CallRecord[],
) => {
  for (const call of calls.filter((c) => c.status === CallStatus.AWAITING_APPROVAL))
    await deps.onApprovalClosed?.(approvalIdOf(run.runId, call.callId), call.tool, 'failed');
};

const argumentsOf = (turn: Assistant, record: CallRecord): unknown =>
  turn.toolCalls.find((c: ToolCallRequest) => c.id === record.modelCallId)?.arguments;

/**
 * An expired approval is an attempt that never reached its tool: recorded before the step is
 * saved, at the time of the step that asked for it, so any repeat of this step writes the same
 * record. Telling approvers is best effort: the call already ended APPROVAL_EXPIRED whatever happens.
 */
const auditExpired = async (deps: TurnResultDeps, run: RunRecord, turn: Assistant, expired: readonly CallRecord[], askedAt: number) => {
  await allSettled(
    expired.map((record) => {
      const approvalId = approvalIdOf(run.runId, record.callId);
      return deps.audit.put(
        buildAuditRecord({
          runId: run.runId,
          callId: record.callId,
          attemptId: attemptIdOf.expired(approvalId),
          tool: record.tool,
          userId: run.owner,
          status: CallStatus.EXPIRED,
          code: 'APPROVAL_EXPIRED',
          startedAt: askedAt,
          endedAt: askedAt,
          arguments: argumentsOf(turn, record),
          result: 'No approver decided in time; the call was not made.',
          approvalId,
          ...withDeclaration(deps.registry, record.tool),
        }),
      );
    }),
  );
  for (const record of expired)
    await deps.onApprovalClosed?.(approvalIdOf(run.runId, record.callId), record.tool, 'expired').catch(() => undefined);
};
