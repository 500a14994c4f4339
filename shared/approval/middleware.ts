import type { MiddlewareObj } from '@middy/core';
import { hashCanonical } from '../canonical-json/canonical-json.ts';
import type { ToolInvocation } from '../tool/invocation.ts';
import { judgeApproval } from './approval-binding.ts';
import type { ApprovalReader } from './dynamodb-approval-reader.ts';
import { ApprovalDeniedError, ApprovalExpiredError, ApprovalMissingError } from './errors.ts';

export interface ApprovalGateOptions {
  readonly store: ApprovalReader;
  readonly tool: string;
  /** @default 'approver' */
  readonly approverGroup?: string;
}

/**
 * Defence in depth for destructive tools: the orchestration only invokes them after an approval,
 * and the tool checks again that a decided approval, by an approver other than the requester,
 * is bound to this exact call. Anything else and the handler never runs.
 */
export const approvalGate = (options: ApprovalGateOptions): MiddlewareObj<ToolInvocation> => {
  const { store, tool, approverGroup = 'approver' } = options;
  return {
    before: async (request) => {
      const { approvalId, runId, callId, caller } = request.event;
      if (!approvalId) throw new ApprovalMissingError(tool, 'no approval id');
      const record = await store.get(approvalId);
      const verdict = judgeApproval(record, { runId, callId, tool, argsHash: hashCanonical(request.event.arguments), requestedBy: caller.userId }, approverGroup);
      switch (verdict.verdict) {
        case 'approved':
          return;
        case 'denied':
          throw new ApprovalDeniedError(tool);
        case 'expired':
          throw new ApprovalExpiredError(tool);
        default:
          throw new ApprovalMissingError(tool, verdict.verdict);
      }
    },
  };
};
