import { hashCanonical } from '../canonical-json/index.ts';
import { namedHooks } from '../plumbing/index.ts';
import { admitAlone, type AdmissionStep, type GuardMiddleware } from '../plumbing/middleware.ts';
import { judgeApproval } from './approval-binding.ts';
import type { StoredApproval } from './approval-item.ts';
import type { ApprovalReader } from './dynamodb-approval-reader.ts';
import { ApprovalDeniedError, ApprovalExpiredError, ApprovalMissingError } from './errors.ts';
import type { ToolInvocation } from '../tool/index.ts';
import { traceApprovalWait } from '../tracing/index.ts';

export interface ApprovalGateOptions {
  readonly store: ApprovalReader;
  readonly tool: string;
  /** @default 'approver' */
  readonly approverGroup?: string;
  /**
   * Whether this call needs an approval. @default every call (destructive tools); a sink that is
   * not destructive needs one only in a run that carries untrusted content (information flow).
   */
  readonly required?: (invocation: ToolInvocation) => boolean;
  /** Distinct approvers the call requires: the tool's declaration's, or a deciding policy's for this call. @default 1 */
  readonly quorum?: number | ((invocation: ToolInvocation) => number);
  /** The deployment's escalation group: its members' decisions count on approvals past their `escalateAt`. @default none */
  readonly escalationGroup?: string;
}

/**
 * Defence in depth for destructive tools: the orchestration only invokes them after an approval,
 * and the tool checks again that a decided approval, by an approver other than the requester,
 * is bound to this exact call. Anything else and the handler never runs. Its read goes out with
 * the other guards' writes (see AdmissionStep); it decides first.
 *
 * @example
 * middy(handler).use(approvalGate({ store: new DynamoDbApprovalReader({ client, tableName: 'Approvals' }), tool: 'delete_document' }));
 */
export const approvalGate = (options: ApprovalGateOptions): GuardMiddleware<StoredApproval | undefined> => {
  const { store, tool, approverGroup = 'approver', required = () => true, quorum = 1, escalationGroup } = options;
  const step: AdmissionStep<StoredApproval | undefined> = {
    name: 'approval',
    start: async (request) => (request.event.approvalId && required(request.event) ? store.get(request.event.approvalId) : undefined),
    decide: async (request, record) => {
      if (!required(request.event)) return undefined;
      const { approvalId, runId, callId, caller } = request.event;
      if (!approvalId) throw new ApprovalMissingError(tool, 'no approval id');
      const verdict = judgeApproval(
        record,
        { runId, callId, tool, argsHash: hashCanonical(request.event.arguments), requestedBy: caller.userId },
        approverGroup,
        typeof quorum === 'number' ? quorum : quorum(request.event),
        escalationGroup,
      );
      switch (verdict.verdict) {
        case 'approved':
          if (record) traceApprovalWait(record);
          return undefined;
        case 'denied':
          throw new ApprovalDeniedError(tool);
        case 'expired':
          throw new ApprovalExpiredError(tool);
        default:
          throw new ApprovalMissingError(tool, verdict.verdict);
      }
    },
  };
  return namedHooks('approvalGate', { step, before: admitAlone(step) });
};
