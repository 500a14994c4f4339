import { DynamoDbApprovalStore, DynamoDbDecisionOutbox } from '../../shared/approval/index.ts';
import { DynamoDbAuditStore } from '../../shared/audit/index.ts';
import { DynamoDbBreakerStore } from '../../shared/breaker/index.ts';
import { SpendGuard } from '../../shared/budgets/index.ts';
import { DynamoDbBucketStore } from '../../shared/rate-limit/index.ts';
import { DynamoDbRunStore } from '../../shared/runs/index.ts';
import type { FunctionAccess } from '../../shared/tables/index.ts';
import { DynamoDbMcpLabelStore } from './mcp/mcp-label-store.ts';

/**
 * What the API asks of the tables, route by route (`createApiHandler` builds the stores): runs
 * started, listed and read; the audit trail read, verified and exported, and its records of
 * decisions; approvals listed, viewed, decided, delegated and expired, and decisions delivered by the sweep; the per-user run buckets and
 * the tools' breakers; the users' MCP labels; where budgets are kept, the standing.
 */
export const apiAccess = (options: { readonly budgets: boolean }): FunctionAccess => {
  const runs = DynamoDbRunStore.access;
  const audit = DynamoDbAuditStore.access;
  const approvals = DynamoDbApprovalStore.access;
  const labels = DynamoDbMcpLabelStore.access;
  return {
    runs: [runs.create, runs.load, runs.list],
    audit: [audit.put, audit.putIfAbsent, audit.listByRun, audit.readChain, audit.listBetween],
    approvals: [
      approvals.get,
      approvals.listPending,
      approvals.decide,
      approvals.delegate,
      approvals.markViewed,
      approvals.expire,
      DynamoDbDecisionOutbox.access.listUndelivered,
      DynamoDbDecisionOutbox.access.markDelivered,
    ],
    guard: [
      DynamoDbBucketStore.access.take,
      DynamoDbBreakerStore.access.openAmong,
      labels.get,
      labels.clear,
      ...(options.budgets ? [SpendGuard.access.standing] : []),
    ],
  };
};
