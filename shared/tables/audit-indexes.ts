import type { IndexSpec } from './index-spec.ts';

/** The index (on the audit table's spec): the records of a time range without a scan. */
export const AUDIT_BY_DAY_INDEX: IndexSpec = { name: 'ByDay', partitionKey: 'day', sortKey: 'sk', include: ['record'] };

/**
 * The index of the calls that reached their tool, by tool and caller (`<tool>#<userId>`), in time
 * order: what `context.lastHour` counts. Sparse (only those records carry its key) and keys only,
 * so a count reads nothing else.
 */
export const AUDIT_BY_CALLER_TOOL_INDEX: IndexSpec = { name: 'ByCallerTool', partitionKey: 'callerTool', sortKey: 'sk', include: [] };
