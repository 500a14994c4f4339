import { DynamoDbApprovalStore } from '../../../shared/approval/index.ts';
import { DynamoDbAuditStore } from '../../../shared/audit/index.ts';
import { DynamoDbBreakerStore } from '../../../shared/breaker/index.ts';
import { SpendGuard } from '../../../shared/budgets/index.ts';
import { DynamoDbIdempotencyStore } from '../../../shared/idempotency/index.ts';
import { DynamoDbRunStore } from '../../../shared/runs/index.ts';
import type { FunctionAccess } from '../../../shared/tables/index.ts';

/**
 * What CallModel asks of the tables (`callModelStores` builds the stores): the run's record and
 * conversation, its audit chain and seal, the tools' breakers and stored calls, the approvals whose
 * wait it expires (and reads, to update its Slack message), and, where budgets are kept, the spend counters.
 */
export const callModelAccess = (options: {
  readonly budgets: boolean;
  readonly slack: boolean;
  readonly policies?: boolean;
}): FunctionAccess => ({
  runs: [DynamoDbRunStore.access.load, DynamoDbRunStore.access.advance, DynamoDbRunStore.access.finish],
  audit: [
    DynamoDbAuditStore.access.put,
    DynamoDbAuditStore.access.putIfAbsent,
    DynamoDbAuditStore.access.sealChain,
    // With policies: the run's approvals and the user's calls in the last hour, where a policy reads them.
    ...(options.policies ? [DynamoDbAuditStore.access.listByRun, DynamoDbAuditStore.access.countCallsSince] : []),
  ],
  guard: [
    DynamoDbBreakerStore.access.openAmong,
    ...(options.budgets ? [SpendGuard.access.reserveModelCall, SpendGuard.access.reserveToolCalls] : []),
  ],
  idempotency: [DynamoDbIdempotencyStore.access.readMany],
  // An expired approval's Slack message is updated: read for where it is.
  approvals: [DynamoDbApprovalStore.access.expire, ...(options.slack ? [DynamoDbApprovalStore.access.get] : [])],
});
