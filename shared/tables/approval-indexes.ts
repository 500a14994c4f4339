import type { IndexSpec } from './index-spec.ts';

/**
 * The approvals table's index of decisions not yet known to have reached the execution that waits
 * on them: every deciding write sets its key, and a delivery that got through removes it. Sparse
 * (only those approvals carry its key) and keys only: the sweep that delivers them reads each in full.
 */
export const APPROVALS_UNDELIVERED_INDEX: IndexSpec = { name: 'Undelivered', partitionKey: 'undelivered', include: [] };
