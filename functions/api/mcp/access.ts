import { DynamoDbApprovalStore } from '../../../shared/approval/index.ts';
import { DynamoDbAuditStore } from '../../../shared/audit/index.ts';
import { DynamoDbBreakerStore } from '../../../shared/breaker/index.ts';
import { SpendGuard } from '../../../shared/budgets/index.ts';
import type { FunctionAccess } from '../../../shared/tables/index.ts';
import { DynamoDbMcpLabelStore } from './mcp-label-store.ts';
import { requestApprovalAccess } from '../../orchestration/request-approval/access.ts';

/**
 * What the MCP server asks of the tables: the tools' breakers and the caller's label, its audit
 * records of screened calls, the approvals it asks for (as the loop does) and waits on, where
 * budgets are kept, the tool-call counters, and, with policies, the session's records and the
 * calls index (what a policy that counts calls or reads approvals is given).
 */
export const mcpAccess = (options: { readonly budgets: boolean; readonly slack: boolean; readonly policies?: boolean }): FunctionAccess => {
  const labels = DynamoDbMcpLabelStore.access;
  const approvals = DynamoDbApprovalStore.access;
  return {
    guard: [
      DynamoDbBreakerStore.access.openAmong,
      labels.get,
      labels.mark,
      ...(options.budgets ? [SpendGuard.access.reserveToolCalls] : []),
    ],
    audit: [
      DynamoDbAuditStore.access.put,
      ...(options.policies ? [DynamoDbAuditStore.access.listByRun, DynamoDbAuditStore.access.countCallsSince] : []),
    ],
    approvals: [...(requestApprovalAccess({ slack: options.slack, escalation: false }).approvals ?? []), approvals.get, approvals.expire],
  };
};
