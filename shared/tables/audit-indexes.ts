import type { IndexSpec } from './index-spec.ts';

/** The index (on the audit table's spec): the records of a time range without a scan. */
export const AUDIT_BY_DAY_INDEX: IndexSpec = { name: 'ByDay', partitionKey: 'day', sortKey: 'sk', include: ['record'] };
