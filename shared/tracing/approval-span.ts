import { context } from '@opentelemetry/api';
import { Attr, SpanName } from './constants.ts';
import { pseudonymOf } from './run-trace.ts';
import { recordSpan } from './spans.ts';

/**
 * The wait for a human as a span beneath the approval guard's, from when the approval was asked
 * for to when it was decided (the approvals table's times, in seconds): how long the call waited.
 */
export const traceApprovalWait = (approval: {
  readonly approvalId: string;
  readonly status: string;
  readonly requestedAt?: number;
  readonly decidedAt?: number;
  readonly decidedBy?: string;
}): void => {
  if (approval.requestedAt === undefined || approval.decidedAt === undefined) return;
  recordSpan(
    SpanName.approvalWait,
    context.active(),
    { start: approval.requestedAt * 1000, end: approval.decidedAt * 1000 },
    {
      [Attr.APPROVAL_ID]: approval.approvalId,
      [Attr.APPROVAL_DECISION]: approval.status.toLowerCase(),
      ...(approval.decidedBy ? { [Attr.APPROVER]: pseudonymOf(approval.decidedBy) } : {}),
    },
  );
};
