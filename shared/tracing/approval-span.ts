import { context } from '@opentelemetry/api';
import { Attr, SpanName } from './constants.ts';
import { pseudonymOf } from './run-trace.ts';
import { recordSpan } from './spans.ts';

/**
 * The wait for a human as a span beneath the approval guard's: from when the approval was asked
 * for to now, when the approved call goes on (the decision's own time is in seconds; the wait as
 * the run lived it ends here).
 */
export const traceApprovalWait = (
  approval: {
    readonly approvalId: string;
    readonly status: string;
    readonly requestedAtMs?: number;
    readonly decidedBy?: string;
  },
  now: number = Date.now(),
): void => {
  if (approval.requestedAtMs === undefined) return;
  recordSpan(
    SpanName.approvalWait,
    context.active(),
    { start: approval.requestedAtMs, end: now },
    {
      [Attr.APPROVAL_ID]: approval.approvalId,
      [Attr.APPROVAL_DECISION]: approval.status.toLowerCase(),
      ...(approval.decidedBy ? { [Attr.APPROVER]: pseudonymOf(approval.decidedBy) } : {}),
    },
  );
};
