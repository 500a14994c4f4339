/**
 * Delivering a stored decision: its audit record first, then the execution that waits on it
 * answered. The API delivers at once; the sweep delivers what the API could not (an outage longer
 * than its retries, a crash between the two), so a decision never depends on its approver sending it again.
 */
import { ApprovalStatus, type Decision, type StoredApproval, type UndeliveredDecision } from '../../shared/approval/index.ts';
import { buildDecisionRecord, type AuditRecord } from '../../shared/audit/index.ts';
import { RunStatus, TERMINAL_STATUSES } from '../../shared/runs/index.ts';
import { withDeclaration } from '../../shared/tool/index.ts';
import type { ApprovalTaskOutput } from '../orchestration/call-model/loop-state.ts';
import type { ApiDeps } from './api-deps.ts';
import { millisNow } from './route-helpers.ts';

/** Step Functions' answer to a token whose task has ended (answered already, or timed out). */
const taskEnded = (error: unknown): boolean =>
  error instanceof Error && (error.name === 'TaskTimedOut' || error.name === 'TaskDoesNotExist');

/**
 * A decision's audit record (with a quorum, one voter's). A vote that decided nothing yet is keyed
 * by its own time; a decision by the decision's time, as stored: written again (a repeat, the
 * sweep), it is the same record.
 */
export const decisionRecordOf = (
  deps: Pick<ApiDeps, 'now' | 'registry'>,
  record: StoredApproval,
  facts: { readonly decider: string; readonly decision: Decision; readonly reason?: string | undefined },
): AuditRecord =>
  buildDecisionRecord({
    approvalId: record.approvalId,
    ...((record.quorum ?? 1) > 1 ? { voter: facts.decider } : {}),
    runId: record.runId,
    callId: record.callId,
    tool: record.tool,
    decider: facts.decider,
    decision: facts.decision,
    summary: record.summary,
    at: record.status === ApprovalStatus.PENDING ? millisNow(deps) : (record.decidedAtMs ?? millisNow(deps)),
    ...(facts.reason ? { reason: facts.reason } : {}),
    ...(record.edited ? { editedFrom: record.edited.originalSummary } : {}),
    ...withDeclaration(deps.registry, record.tool),
  });

/**
 * Answers the task that waits on a decision. A task that has ended has its answer already (a twin
 * request, a double click or Slack redelivering answered first: found by the fault simulation, that
 * approver was answered 500) or will never take one (timed out): either way the decision stands as stored.
 */
export const answerWaitingTask = async (deps: Pick<ApiDeps, 'sendTaskSuccess'>, taskToken: string, output: ApprovalTaskOutput) => {
  if (!taskToken) return;
  await deps.sendTaskSuccess(taskToken, output).catch((error: unknown) => {
    if (!taskEnded(error)) throw error;
  });
};

/** What Slack's message says once decided: an edit shows what was approved instead of what was asked. */
export const outcomeOf = (record: StoredApproval, decision: Decision, decider: string): string => {
  const outcome = `${decision === 'approve' ? 'approved' : 'denied'} by ${decider}`;
  return record.edited ? `${outcome}, with the arguments changed from ${record.edited.originalSummary} to ${record.summary}` : outcome;
};

/** What the EventBridge rule sends the API function every minute: sweep the undelivered decisions. */
export interface DeliverySweepEvent {
  readonly deliverDecisions: true;
}

/** Whether the API function's event is the sweep's (API Gateway's events carry no such key). */
export const isDeliverySweep = (event: unknown): event is DeliverySweepEvent =>
  typeof event === 'object' && event !== null && (event as { deliverDecisions?: unknown }).deliverDecisions === true;

/** The API function's timeout (GuardedAgent deploys it with this): how long its own delivery of a decision may take. */
export const API_FUNCTION_TIMEOUT_SECONDS = 15;

/** How long the deployed sweep leaves a decision to the API: twice the API function's timeout, so its own try has ended. */
export const DECISION_SETTLE_MS = 2 * API_FUNCTION_TIMEOUT_SECONDS * 1000;

/** How the sweep treats recent decisions, and how long an execution waits past its approval's expiry. */
export interface DeliverySweepTiming {
  /** A decision younger than this is left to the API, still delivering it (deployed: longer than the API function's timeout). */
  readonly settleMs: number;
  /** How long after its approval's expiry the execution still waits (deployed: `APPROVAL_TASK_GRACE_SECONDS`). */
  readonly graceMs: number;
}

/** What one sweep did, by approval id: delivered, closed without delivering (nobody waits any more), or left for the next sweep. */
export interface DeliverySweepResult {
  readonly delivered: string[];
  readonly closed: string[];
  readonly failed: string[];
}

/** Whether an execution may still wait on the decision: a task's token, its wait not run out, its run not ended. */
const stillWaits = async (deps: Pick<ApiDeps, 'runs'>, found: UndeliveredDecision, nowMs: number, graceMs: number) =>
  found.taskToken !== '' &&
  nowMs < found.record.expiresAt * 1000 + graceMs &&
  !TERMINAL_STATUSES.has((await deps.runs.load(found.record.runId))?.run.status ?? RunStatus.FAILED);

/**
 * Delivers again a decision the API stored but is not known to have delivered: its audit record
 * (unless the API wrote it), the waiting task answered, Slack's message rewritten. Where the API
 * answered the task but could not unmark it, `onDecided` runs twice: Slack's message is rewritten
 * to the same text, and the decisions metric counts it twice (the run sees it once).
 */
const deliverAgain = async (deps: ApiDeps, { record, taskToken, reason, arguments: edited }: UndeliveredDecision) => {
  const decision: Decision = record.status === ApprovalStatus.APPROVED ? 'approve' : 'deny';
  const decider = record.decidedBy ?? '';
  await deps.audit.putIfAbsent(decisionRecordOf(deps, record, { decider, decision, reason }));
  await answerWaitingTask(deps, taskToken, { approvalId: record.approvalId, decision, ...(edited ? { arguments: edited } : {}) });
  await deps.onDecided?.(record, outcomeOf(record, decision, decider)).catch(() => undefined);
};

/**
 * The sweep (deployed, every minute): every decision still marked undelivered and older than the
 * API's own try is delivered if an execution may still wait on it, then marked delivered. One that
 * nobody waits on any more (asked over MCP, its wait run out, its run ended) is only marked: a
 * finished run's audit chain is sealed, and no record is added to it. One that fails is left for the next sweep.
 */
export const deliverStoredDecisions = async (deps: ApiDeps, timing: DeliverySweepTiming): Promise<DeliverySweepResult> => {
  const result: DeliverySweepResult = { delivered: [], closed: [], failed: [] };
  const nowMs = millisNow(deps);
  for (const found of await deps.decisions.listUndelivered()) {
    const { approvalId, decidedAtMs = 0 } = found.record;
    if (decidedAtMs > nowMs - timing.settleMs) continue;
    try {
      const waits = await stillWaits(deps, found, nowMs, timing.graceMs);
      if (waits) await deliverAgain(deps, found);
      await deps.decisions.markDelivered(approvalId);
      (waits ? result.delivered : result.closed).push(approvalId);
    } catch {
      result.failed.push(approvalId);
    }
  }
  return result;
};
