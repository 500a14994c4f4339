import type { ConversationMessage, ModelProvider, ToolCallRequest } from '../../../shared/model/conversation.ts';
import { approvalIdOf } from '../../../shared/approval/approval-binding.ts';
import { maxIterations } from '../../../shared/guards/max-iterations.ts';
import { offeredTools } from '../../../shared/guards/offered-tools.ts';
import { screenCall } from '../../../shared/guards/screen-call.ts';
import { redact } from '../../../shared/redaction/redact.ts';
import { attemptIdOf, buildAuditRecord, buildRecoveredAttemptRecord, buildScreeningRecord } from '../../../shared/audit/audit-record.ts';
import { RecordStatus, type IdempotencyRecord } from '../../../shared/idempotency/idempotency-record.ts';
import type { DynamoDbAuditStore } from '../../../shared/audit/dynamodb-audit-store.ts';
import type { DynamoDbRunStore, RunSnapshot } from '../../../shared/runs/dynamodb-run-store.ts';
import { RunChangedError } from '../../../shared/runs/errors.ts';
import { addUsage, RunStatus, TERMINAL_STATUSES, type CallRecord, type RunRecord } from '../../../shared/runs/run-record.ts';
import type { ToolRegistry } from '../../../shared/tool/tool-registry.ts';
import { toolSpec } from '../../../shared/tool/tool-spec.ts';
import { CallStatus, statusOfCode, type ErrorCode } from '../../../shared/tool-result/codes.ts';
import { ValidationFailedError } from '../../../shared/tool-result/errors.ts';
import { failureOf, isToolCrash, type ToolReceipt, type ToolResult } from '../../../shared/tool-result/result.ts';
import { traceChat, traceRunEnded } from '../../../shared/tracing/loop-spans.ts';
import { recordUnreachedCall } from '../../../shared/tracing/tool-span.ts';
import type { ApproveItem, ExecuteItem, LoopState } from './loop-state.ts';

/** More calls than this in one turn are refused: it bounds the state payload and the fan-out. */
export const MAX_CALLS_PER_TURN = 12;
/** Arguments travel in the execution's state (256 KB): a turn's calls may carry this much in all. */
export const MAX_TURN_ARGUMENT_BYTES = 128 * 1024;
/**
 * The model's request is abandoned after this long. The function's timeout and the state
 * machine's task timeout are longer (infra/guarded-agent), so a slow model ends as a failed
 * request that is recorded, never as an answer arriving after the run has moved on.
 */
export const MODEL_REQUEST_TIMEOUT_MS = 45_000;

export interface CallModelDeps {
  readonly runs: DynamoDbRunStore;
  readonly registry: ToolRegistry;
  /** The model for this run: its script where scripts are allowed, else the configured provider. */
  readonly modelFor: (run: RunRecord) => ModelProvider;
  /** Tools whose breaker keeps calls out now. */
  readonly openBreakers: (tools: readonly string[]) => Promise<ReadonlySet<string>>;
  /**
   * A call's idempotency record: the data of a call that answered with a receipt, and what a call
   * whose function crashed left behind (its result, or the claim of the attempt that died).
   */
  readonly storedCallOf: (tool: string, runId: string, callId: string) => Promise<IdempotencyRecord | undefined>;
  /** The deployed function (or local handler) name of a tool. */
  readonly functionNameOf: (tool: string) => string;
  readonly systemPrompt: string;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** Told what happened, for metrics: a run ended, an approval ran out of time. */
  readonly events?: {
    readonly runEnded?: (status: RunStatus, iterations: number) => void;
    readonly approvalExpired?: (tool: string) => void;
  };
  /** An approval ran out of time: mark it expired and tell the approvers (its Slack message). Failures are the caller's to log. */
  readonly onApprovalExpired?: (approvalId: string, tool: string) => Promise<void>;
  /**
   * The audit trail, for the attempts that never reach a tool: calls refused at screening and
   * calls whose approval expired. Each record's key is fixed by the step, so a repeated step
   * rewrites its records and never adds any: exactly one per attempt.
   */
  readonly audit: Pick<DynamoDbAuditStore, 'put' | 'putIfAbsent'>;
}

const statusOf = (result: ToolResult): CallStatus => (result.ok ? CallStatus.EXECUTED : statusOfCode[result.error.code]);

/**
 * Step 4 of the loop, pure: screens every call the model asked for in one turn. Refused calls get
 * their result now, without a Map item. Deterministic, so a repeated step screens the stored turn
 * again and answers exactly as the first one did.
 */
const screenTurn = (deps: CallModelDeps, run: RunRecord, iteration: number, toolCalls: readonly ToolCallRequest[]) => {
  const caller = { userId: run.owner, groups: [...run.groups] };
  const execute: ExecuteItem[] = [];
  const approve: ApproveItem[] = [];
  const calls: CallRecord[] = [];
  const refused: Array<{ record: CallRecord; code: ErrorCode; arguments: unknown }> = [];
  let argumentBytes = 0;
  toolCalls.forEach((call: ToolCallRequest, index) => {
    const callId = `c${iteration}-${index + 1}`;
    argumentBytes += Buffer.byteLength(JSON.stringify(call.arguments ?? null));
    const refusal =
      index >= MAX_CALLS_PER_TURN
        ? `At most ${MAX_CALLS_PER_TURN} tool calls per turn; this one was not made.`
        : argumentBytes > MAX_TURN_ARGUMENT_BYTES
          ? `The calls of one turn may carry at most ${MAX_TURN_ARGUMENT_BYTES / 1024} KB of arguments; this one was not made.`
          : undefined;
    const screened =
      refusal === undefined
        ? screenCall(deps.registry, call, run.groups)
        : {
            verdict: 'reject' as const,
            toolName: typeof call.name === 'string' ? call.name.slice(0, 64) : 'unknown',
            error: failureOf(new ValidationFailedError(refusal)),
          };
    if (screened.verdict === 'reject') {
      const result: ToolResult = { ok: false, error: screened.error };
      const record: CallRecord = {
        callId,
        modelCallId: call.id,
        tool: screened.toolName,
        iteration,
        status: statusOf(result),
        code: screened.error.code,
        result,
      };
      calls.push(record);
      refused.push({ record, code: screened.error.code, arguments: call.arguments });
      return;
    }
    const invocation = {
      runId: run.runId,
      callId,
      tool: screened.tool.name,
      caller,
      arguments: screened.arguments,
      receipt: true as const,
    };
    const item = { functionName: deps.functionNameOf(screened.tool.name), invocation };
    if (screened.verdict === 'approve') {
      approve.push({ ...item, summary: JSON.stringify(redact(screened.arguments, { maxString: 200 })) });
      calls.push({ callId, modelCallId: call.id, tool: screened.tool.name, iteration, status: CallStatus.AWAITING_APPROVAL });
    } else {
      execute.push(item);
      calls.push({ callId, modelCallId: call.id, tool: screened.tool.name, iteration, status: CallStatus.RUNNING });
    }
  });
  return { execute, approve, calls, refused };
};

/** The audit records of the calls a step refused at screening; their time is the step's, so a repeated step writes the same keys. */
const auditRefused = (deps: CallModelDeps, run: RunRecord, refused: ReturnType<typeof screenTurn>['refused']) => {
  const at = Date.parse(run.updatedAt);
  return Promise.all(
    refused.map(({ record, code, arguments: args }) =>
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
        }),
      ),
    ),
  );
};

const ended = (runId: string): LoopState => ({ runId, done: true });

/**
 * The answer of a step that was already taken (a duplicate or retried CallModel, or one that lost
 * the race to another): read from what the first one stored, without calling the model again.
 */
const replayed = async (deps: CallModelDeps, snapshot: RunSnapshot): Promise<LoopState> => {
  const { run } = snapshot;
  if (TERMINAL_STATUSES.has(run.status)) return ended(run.runId);
  const last = snapshot.messages.at(-1);
  if (last?.role !== 'assistant') throw new RunChangedError(run.runId, { status: run.status, iteration: run.iteration });
  const { execute, approve, refused } = screenTurn(deps, run, run.iteration, last.toolCalls);
  // The first step may have stopped between its save and its audit records: write them (same keys).
  await auditRefused(deps, run, refused);
  return { runId: run.runId, iteration: run.iteration, done: false, execute, approve };
};

/**
 * One iteration of the loop: hand the last turn's results back into the conversation, stop at the
 * iteration limit, call the model with the tools the caller's role may use, and screen what it
 * asks for. Returns only the ids and calls the state machine needs.
 */
export const createCallModel =
  (deps: CallModelDeps) =>
  async (state: LoopState): Promise<LoopState> => {
    const now = deps.now ?? (() => new Date());
    /** A run that ended here: its metrics, and its trace's root span. */
    const runEnded = (r: RunRecord) => {
      deps.events?.runEnded?.(r.status, r.iteration);
      traceRunEnded(r, now().getTime());
    };
    const snapshot = await deps.runs.load(state.runId);
    if (!snapshot) throw new Error(`Run ${state.runId} does not exist`);
    /** Spans of calls that never reached a tool, written once this step is saved (a repeated step writes none). */
    const unreached: Array<() => void> = [];
    const notReached = (record: CallRecord, result: ToolResult, refusedBy: string, askedAt: number, extra: { approvalId?: string } = {}) =>
      unreached.push(() =>
        recordUnreachedCall({
          tool: record.tool,
          runId: state.runId,
          callId: record.callId,
          userId: snapshot.run.owner,
          result,
          refusedBy,
          askedAt,
          at: now().getTime(),
          ...extra,
        }),
      );
    let run = snapshot.run;
    if (TERMINAL_STATUSES.has(run.status)) return ended(run.runId);
    if (state.failed) {
      const finished = await deps.runs.finish(
        run,
        RunStatus.FAILED,
        'The run failed inside the platform; see the audit trail and the logs.',
      );
      if (finished.status === RunStatus.FAILED) runEnded(finished);
      return ended(run.runId);
    }
    // Every write below expects the run as loaded here. The state says which iteration it follows:
    // a step that was already taken answers from the store; one from another iteration is refused.
    const expected = { status: run.status, iteration: run.iteration };
    const after = state.iteration ?? 0;
    if (run.iteration === after + 1) return replayed(deps, snapshot);
    if (run.iteration !== after) throw new RunChangedError(run.runId, { status: run.status, iteration: after });
    /** Saves this step; if another step got there first, answers as that one did (or as the ended run). */
    const save = async (next: RunRecord, appended: readonly ConversationMessage[], calls: readonly CallRecord[]): Promise<boolean> => {
      try {
        await deps.runs.advance(next, appended, snapshot.messages.length + 1, calls, expected);
        for (const trace of unreached.splice(0)) trace();
        return true;
      } catch (error) {
        if (error instanceof RunChangedError) return false;
        throw error;
      }
    };
    const settled = async (): Promise<LoopState> => {
      const now_ = await deps.runs.load(run.runId);
      if (!now_) throw new Error(`Run ${run.runId} does not exist`);
      return replayed(deps, now_);
    };

    // 1. The results of the previous turn go back into the conversation, in the order of its calls.
    const appended: ConversationMessage[] = [];
    const calls: CallRecord[] = [];
    const last = snapshot.messages.at(-1);
    if (last?.role === 'assistant' && last.toolCalls.length > 0) {
      const byCallId = new Map<string, ToolResult | ToolReceipt>();
      (state.execute ?? []).forEach((item, i) => {
        const result = state.executed?.[i]?.result;
        if (result) byCallId.set(item.invocation.callId, result);
      });
      for (const approval of state.approvals ?? []) byCallId.set(approval.invocation.callId, approval.outcome.result);
      const records = snapshot.calls.filter((c) => c.iteration === run.iteration);
      const expired: Array<{ approvalId: string; tool: string }> = [];
      const approved = new Set((state.approvals ?? []).map((a) => a.invocation.callId));
      /** Calls whose approver did not say yes: their tool never ran. */
      const notApproved = new Set(
        (state.approvals ?? []).filter((a) => a.decision?.decision !== 'approve').map((a) => a.invocation.callId),
      );
      const askedAt = Date.parse(run.updatedAt);
      /** The data of a call that answered with a receipt: it is in the call's idempotency record. */
      const receiptData = async (record: CallRecord): Promise<unknown> => {
        const stored = await deps.storedCallOf(record.tool, run.runId, record.callId);
        if (stored?.status !== RecordStatus.COMPLETED)
          throw new Error(`No completed result for ${record.tool} ${run.runId} ${record.callId}`);
        return stored.result;
      };
      /**
       * A tool function that failed as a Lambda may have done its work first. Its idempotency record
       * says: a stored result is the call's result (the model is told it was done), and its attempt
       * gets the executed record it died before writing; a claim left held is an attempt interrupted
       * mid-call (audited so, the model told it failed). Keyed by the attempt, so written once.
       */
      const behindCrash = async (record: CallRecord, crashed: ToolResult): Promise<ToolResult> => {
        const stored = await deps.storedCallOf(record.tool, run.runId, record.callId);
        const facts = {
          runId: run.runId,
          callId: record.callId,
          tool: record.tool,
          userId: run.owner,
          arguments: last.toolCalls.find((c) => c.id === record.modelCallId)?.arguments,
          ...(approved.has(record.callId) ? { approvalId: approvalIdOf(run.runId, record.callId) } : {}),
        };
        // No record: it died before it claimed the call, so before its handler could do anything.
        const attempt = stored?.attempt ?? { attemptId: attemptIdOf.crashed(record.callId), startedAt: askedAt };
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
      const results = await Promise.all(
        records.map(async (record) => {
          const answered = record.result ??
            byCallId.get(record.callId) ?? { ok: false as const, error: failureOf(new Error('missing result')) };
          const result: ToolResult =
            'receipt' in answered
              ? { ok: true, data: await receiptData(record) }
              : isToolCrash(answered)
                ? await behindCrash(record, answered)
                : answered;
          if (!result.ok && result.error.code === 'APPROVAL_EXPIRED') {
            deps.events?.approvalExpired?.(record.tool);
            expired.push({ approvalId: approvalIdOf(run.runId, record.callId), tool: record.tool });
          }
          if (!record.result) calls.push({ ...record, status: statusOf(result), ...(result.ok ? {} : { code: result.error.code }) });
          if (notApproved.has(record.callId))
            notReached(record, result, 'approval', askedAt, { approvalId: approvalIdOf(run.runId, record.callId) });
          return { callId: record.modelCallId, result };
        }),
      );
      appended.push({ role: 'tool', results });
      // An expired approval is an attempt that never reached its tool: recorded before the step is
      // saved, at the time of the step that asked for it, so any repeat of this step writes the same record.
      await Promise.all(
        expired.map(({ approvalId, tool }) => {
          const record = records.find((r) => approvalIdOf(run.runId, r.callId) === approvalId);
          const call = last.toolCalls.find((c) => c.id === record?.modelCallId);
          return deps.audit.put(
            buildAuditRecord({
              runId: run.runId,
              callId: record?.callId ?? 'unknown',
              attemptId: attemptIdOf.expired(approvalId),
              tool,
              userId: run.owner,
              status: CallStatus.EXPIRED,
              code: 'APPROVAL_EXPIRED',
              startedAt: askedAt,
              endedAt: askedAt,
              arguments: call?.arguments,
              result: 'No approver decided in time; the call was not made.',
              approvalId,
            }),
          );
        }),
      );
      // Telling approvers is best effort: the call already ended APPROVAL_EXPIRED whatever happens here.
      for (const { approvalId, tool } of expired) await deps.onApprovalExpired?.(approvalId, tool).catch(() => undefined);
    }

    // 2. The iteration limit ends the run gracefully, with what it has so far.
    if (!maxIterations(run.iteration, run.maxIterations).allow) {
      const lastText = [...snapshot.messages]
        .reverse()
        .find((m): m is Extract<ConversationMessage, { role: 'assistant' }> => m.role === 'assistant' && Boolean(m.text))?.text;
      run = {
        ...run,
        status: RunStatus.MAX_ITERATIONS,
        output: lastText ?? `Stopped after ${run.iteration} iterations without a final answer.`,
        updatedAt: now().toISOString(),
      };
      if (!(await save(run, appended, calls))) return settled();
      runEnded(run);
      return ended(run.runId);
    }

    // 3. The model sees only the tools of the caller's role whose breaker is closed.
    const roleTools = deps.registry.tools.map((t) => t.name);
    const offered = offeredTools(deps.registry, run.groups, await deps.openBreakers(roleTools));
    const model = deps.modelFor(run);
    const request = {
      system: offered.note ? `${deps.systemPrompt}\n\n${offered.note}` : deps.systemPrompt,
      messages: [...snapshot.messages, ...appended],
      tools: offered.tools.map(toolSpec),
      signal: AbortSignal.timeout(MODEL_REQUEST_TIMEOUT_MS),
    };
    const turn = await traceChat(run.runId, model, request);
    const iteration = run.iteration + 1;
    const usage = addUsage(run.usage, turn.usage);
    if (usage) run = { ...run, usage };
    appended.push({ role: 'assistant', ...(turn.text === undefined ? {} : { text: turn.text }), toolCalls: turn.toolCalls });

    if (turn.toolCalls.length === 0) {
      run = { ...run, iteration, status: RunStatus.SUCCEEDED, output: turn.text ?? '', updatedAt: now().toISOString() };
      if (!(await save(run, appended, calls))) return settled();
      runEnded(run);
      return ended(run.runId);
    }

    // 4. Screen every call: refused ones get their result now, without a Map item.
    const screened = screenTurn(deps, run, iteration, turn.toolCalls);
    calls.push(...screened.calls);
    for (const { record } of screened.refused) notReached(record, record.result as ToolResult, 'screening', now().getTime());
    // The declared tools this turn asked for join the run's (GET /runs filters on them); junk names do not.
    const asked = screened.calls.map((c) => c.tool).filter((tool) => deps.registry.resolve(tool) !== undefined);
    const tools = [...new Set([...(run.tools ?? []), ...asked])];
    run = {
      ...run,
      iteration,
      status: screened.approve.length > 0 ? RunStatus.WAITING_FOR_APPROVAL : RunStatus.RUNNING,
      ...(tools.length > 0 ? { tools } : {}),
      callCount: (run.callCount ?? 0) + turn.toolCalls.length,
      updatedAt: now().toISOString(),
    };
    if (!(await save(run, appended, calls))) return settled();
    await auditRefused(deps, run, screened.refused);
    return { runId: run.runId, iteration, done: false, execute: screened.execute, approve: screened.approve };
  };
