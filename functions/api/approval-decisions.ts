/** Deciding an approval over the API or from Slack: an edit checked, a refusal audited, the decision recorded before the run resumes. */
import { ApprovalDecisionRefusedError, ApprovalStatus, approvalSummary, approvalView } from '../../shared/approval/index.ts';
import { buildDecisionRecord } from '../../shared/audit/index.ts';
import { answerWaitingTask, decisionRecordOf, outcomeOf } from './decision-delivery.ts';
import { toolArguments } from '../../shared/guards/index.ts';
import { redactString } from '../../shared/redaction/index.ts';
import { withDeclaration } from '../../shared/tool/index.ts';
import type { Identity } from './api-types.ts';
import { badRequest, forbidden, notFound } from './http-error.ts';
import { isMcpRun } from './mcp/mcp-run-id.ts';
import { hashCanonical } from '../../shared/canonical-json/index.ts';
import type { ApiDeps } from './api-deps.ts';
import { millisNow, mayDecideNow, NOT_AN_APPROVER, secondsNow } from './route-helpers.ts';

/**
 * Edit, then approve: the approver's arguments, checked by the tool's own strict schema (as the
 * tool's function will check them again), hashed as the tool hashes them, and redacted for the record.
 */
export const editOf = async (
  deps: ApiDeps,
  approvalId: string,
  decision: 'approve' | 'deny',
  decider: Identity,
  edited: Record<string, unknown>,
) => {
  if (decision !== 'approve') throw badRequest('Only an approval can change the arguments; a denial leaves them as asked.');
  const current = await deps.approvals.get(approvalId);
  if (!current) throw notFound('No such approval.');
  if (!mayDecideNow(deps, current, decider)) throw forbidden(NOT_AN_APPROVER);
  if (isMcpRun(current.runId)) throw new ApprovalDecisionRefusedError('edit-over-mcp');
  const tool = deps.registry.resolve(current.tool);
  if (!tool) throw notFound('No such tool is deployed.');
  const parsed = toolArguments(tool, edited);
  if (!parsed.allow) throw badRequest(`The edited arguments are not valid for ${tool.name}: ${parsed.reason}`);
  // A tool's schema is a strict object: what it parsed is the arguments object the tool runs with.
  const args = parsed.value as Readonly<Record<string, unknown>>;
  const view = approvalView(args);
  return {
    arguments: args,
    argsHash: hashCanonical(args),
    summary: approvalSummary(args),
    shown: JSON.stringify(view.arguments),
    shortened: view.shortened,
    from: { argsHash: current.argsHash, summary: current.summary },
  };
};

/**
 * Runs a decision (or a delegation) and, when the store refuses it on an approval still pending,
 * puts the refusal on the run's record (who tried what, and why) before answering: someone trying
 * to decide what they may not is itself worth knowing. The approval is unchanged.
 */
export const refusalsAudited = async <T>(
  deps: ApiDeps,
  approvalId: string,
  decider: Identity,
  decision: 'approve' | 'deny' | 'delegate',
  act: () => Promise<T>,
): Promise<T> => {
  try {
    return await act();
  } catch (error) {
    if (!(error instanceof ApprovalDecisionRefusedError)) throw error;
    // Only while it can still be decided (pending, not run out): the run still waits, so its loop
    // seals the record into the chain. After that the run may have ended, and its chain is closed
    // (found by the fault simulation: a late try audited into a finished run's sealed trail).
    const current = await deps.approvals.get(approvalId).catch(() => undefined);
    if (current?.status === ApprovalStatus.PENDING && current.expiresAt > secondsNow(deps))
      await deps.audit.put(
        buildDecisionRecord({
          approvalId,
          runId: current.runId,
          callId: current.callId,
          tool: current.tool,
          decider: decider.userId,
          decision,
          refused: error.reason,
          summary: current.summary,
          at: millisNow(deps),
          ...withDeclaration(deps.registry, current.tool),
        }),
      );
    throw error;
  }
};

/** What the approvals store keeps of a reason (the request allows 500 characters; redaction may lengthen them). */
const MAX_REASON_CHARS = 500;

export const decide = async (
  deps: ApiDeps,
  approvalId: string,
  decision: 'approve' | 'deny',
  decider: Identity,
  rawReason?: string,
  edited?: Record<string, unknown>,
) => {
  // An approver may paste anything into the reason; it is stored and audited redacted (and as long as the store keeps it).
  const asked = rawReason === undefined ? undefined : redactString(rawReason).slice(0, MAX_REASON_CHARS);
  const edit = edited === undefined ? undefined : await editOf(deps, approvalId, decision, decider, edited);
  // `repeated`: this person decided it so before (their retry after an error): recorded again as it
  // was the first time (the same record, whatever reason this request gives) and sent again, changing nothing.
  const { record, taskToken, repeated } = await refusalsAudited(deps, approvalId, decider, decision, () =>
    deps.approvals.decide(approvalId, decision, decider, asked, edit),
  );
  const reason = repeated ? repeated.reason || undefined : asked;
  // The decision (or the vote, with a quorum) is recorded before the execution resumes: no approved
  // call runs without its records.
  await deps.audit.put(decisionRecordOf(deps, record, { decider: decider.userId, decision, reason }));
  // A vote that left the quorum short decided nothing yet: the execution keeps waiting.
  if (record.status === ApprovalStatus.PENDING) return record;
  // Only a waiting task is answered (an approval asked over MCP has none: its caller calls again).
  // An edit reaches the waiting execution with the decision: it runs the call with the approved arguments.
  // A repeat answers the task again in case the first answer never reached it; if it did, the task has ended.
  await answerWaitingTask(deps, taskToken, { approvalId, decision, ...(edit ? { arguments: edit.arguments } : {}) });
  // Delivered: the sweep has nothing to do for it. Not marked (an error), it delivers it again, changing nothing.
  await deps.decisions.markDelivered(approvalId).catch(() => undefined);
  // Slack's message is rewritten with the outcome: an edit shows what was approved instead of what was asked.
  await deps.onDecided?.(record, outcomeOf(record, decision, decider.userId)).catch(() => undefined);
  return record;
};
