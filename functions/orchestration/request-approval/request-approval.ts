import {
  type ApprovalEscalation,
  type ApprovalNotify,
  approvalIdOf,
  approvalView,
  describeShown,
  type DynamoDbApprovalStore,
  type SlackNotifier,
} from '../../../shared/approval/index.ts';
import { hashCanonical } from '../../../shared/canonical-json/index.ts';
import type { ApproveItem } from '../call-model/loop-state.ts';

export interface RequestApprovalEvent {
  /** Who waits on the decision: the state machine's waiting task (`task`, the default) or nobody (`none`: MCP). */
  readonly notify?: ApprovalNotify;
  /** The waiting task's token (`notify: 'task'`). Stored with the approval, and nowhere else. */
  readonly taskToken?: string;
  readonly item: ApproveItem;
}

export interface RequestApprovalDeps {
  readonly approvals: DynamoDbApprovalStore;
  /** How long an approver has to decide, in seconds (the state's own timeout is the same). */
  readonly timeoutSeconds: number;
  /** Tells approvers (Slack): it gets the notice, never the token. */
  readonly notifier?: Pick<SlackNotifier, 'postRequest'>;
  /** Told when Slack could not be told; the approval stands and can be decided over the API. */
  readonly onNotifyError?: (error: unknown) => void;
  /** @default Date.now */
  readonly now?: () => number;
  /** Told of every new approval (metrics). */
  readonly onRequested?: () => void;
  /** GuardedAgent's `approvalEscalation`: each approval records when it is offered to the second group. @default none */
  readonly escalation?: ApprovalEscalation;
}

/** Records the approval with its task token and notifies approvers. The execution then waits for a decision. */
export const createRequestApproval =
  (deps: RequestApprovalDeps) =>
  async (event: RequestApprovalEvent): Promise<{ approvalId: string }> => {
    const { invocation, summary, why, effect, quorum } = event.item;
    const approvalId = approvalIdOf(invocation.runId, invocation.callId);
    const view = approvalView(invocation.arguments);
    const now = deps.now ?? Date.now;
    const requestedAtMs = now();
    const expiresAt = Math.floor(requestedAtMs / 1000) + deps.timeoutSeconds;
    // Escalated only while it can still be decided: an escalation due after expiry never happens.
    const escalateAt = deps.escalation ? Math.floor(requestedAtMs / 1000) + deps.escalation.afterSeconds : undefined;
    try {
      await deps.approvals.create({
        approvalId,
        runId: invocation.runId,
        callId: invocation.callId,
        tool: invocation.tool,
        argsHash: hashCanonical(invocation.arguments),
        requestedBy: invocation.caller.userId,
        summary,
        // The full view from the same object as argsHash: what the approver reads is what runs.
        shown: JSON.stringify(view.arguments),
        ...(view.shortened ? { shortened: true } : {}),
        ...(why ? { why } : {}),
        ...(quorum ? { quorum } : {}),
        ...(event.notify === undefined ? {} : { notify: event.notify }),
        ...(event.taskToken === undefined ? {} : { taskToken: event.taskToken }),
        expiresAt,
        requestedAtMs,
        ...(escalateAt !== undefined && escalateAt < expiresAt ? { escalateAt } : {}),
      });
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
      // Asked again for the same call (a retried or resumed wait): the approval stands, and a
      // pending one now answers the token that is waiting.
      if (event.taskToken !== undefined) await deps.approvals.refreshTaskToken(approvalId, event.taskToken);
      return { approvalId };
    }
    deps.onRequested?.();
    if (deps.notifier) {
      try {
        const message = await deps.notifier.postRequest({
          approvalId,
          tool: invocation.tool,
          summary,
          ...(why ? { why } : {}),
          ...(effect ? { effect } : {}),
          requestedBy: invocation.caller.userId,
          runId: invocation.runId,
          expiresAt,
          ...(view.destinations.length ? { destinations: view.destinations } : {}),
          ...(view.shortened ? { shortened: true } : {}),
        });
        await deps.approvals.setMessage(approvalId, message);
      } catch (error) {
        deps.onNotifyError?.(error);
      }
    }
    return { approvalId };
  };

export interface EscalationSweepDeps {
  readonly approvals: Pick<DynamoDbApprovalStore, 'listPending' | 'markEscalated'>;
  readonly escalation: ApprovalEscalation;
  /** Posts to the escalation group's channel (its own notifier); absent: the group finds them in GET /approvals. */
  readonly notifier?: Pick<SlackNotifier, 'postRequest'>;
  readonly onNotifyError?: (error: unknown) => void;
  /** Told of every approval escalated (metrics). */
  readonly onEscalated?: () => void;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * Escalation, run every minute (deployed: an EventBridge rule; locally: a timer): each pending
 * approval past its `escalateAt` is marked escalated once (a conditional write, so overlapping
 * sweeps tell the group once) and posted to the escalation group's channel. Who may decide it does
 * not wait for the sweep: the escalation group may from `escalateAt` on (checked at decision time).
 */
export const createEscalationSweep = (deps: EscalationSweepDeps) => async (): Promise<{ escalated: string[] }> => {
  const nowSeconds = Math.floor((deps.now ?? Date.now)() / 1000);
  const due = (await deps.approvals.listPending()).filter(
    (a) => a.escalateAt !== undefined && a.escalateAt <= nowSeconds && a.escalatedAt === undefined,
  );
  const escalated: string[] = [];
  for (const approval of due) {
    if (!(await deps.approvals.markEscalated(approval.approvalId))) continue;
    escalated.push(approval.approvalId);
    deps.onEscalated?.();
    try {
      await deps.notifier?.postRequest({
        approvalId: approval.approvalId,
        tool: approval.tool,
        summary: approval.summary,
        why: `Escalated to ${deps.escalation.group}: nobody decided within ${Math.round(deps.escalation.afterSeconds / 60)} min.${approval.why ? ` ${approval.why}` : ''}`,
        requestedBy: approval.requestedBy,
        runId: approval.runId,
        expiresAt: approval.expiresAt,
        ...(approval.shown === undefined ? {} : { destinations: describeShown(JSON.parse(approval.shown)).destinations }),
        ...(approval.shortened ? { shortened: true } : {}),
      });
    } catch (error) {
      deps.onNotifyError?.(error);
    }
  }
  return { escalated };
};
