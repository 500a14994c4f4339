import { DynamoDbApprovalStore } from '../../../shared/approval/index.ts';
import type { FunctionAccess } from '../../../shared/tables/index.ts';

/**
 * What RequestApproval asks of the approvals table: the approval it creates (or the token it
 * refreshes), the Slack message it records where Slack is set up, and, where approvals escalate,
 * the sweep over pending ones.
 */
export const requestApprovalAccess = (options: { readonly slack: boolean; readonly escalation: boolean }): FunctionAccess => {
  const { create, refreshTaskToken, setMessage, listPending, markEscalated } = DynamoDbApprovalStore.access;
  return {
    approvals: [
      create,
      refreshTaskToken,
      ...(options.slack ? [setMessage] : []),
      ...(options.escalation ? [listPending, markEscalated] : []),
    ],
  };
};
