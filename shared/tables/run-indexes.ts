import type { IndexSpec } from './index-spec.ts';

/**
 * The runs table's indexes for `GET /runs`, newest first. Only run records carry their keys (the
 * conversation and call items do not), so both indexes hold runs and nothing else.
 * - ByOwner: a caller's own runs.
 * - ByMonth: everyone's, for admins, one partition per month (`YYYY-MM`) so none grows without end.
 * Both carry the run, its status and its tools: what a listing shows and filters on.
 */
export const RUNS_BY_OWNER: IndexSpec = {
  name: 'ByOwner',
  partitionKey: 'owner',
  sortKey: 'createdAt',
  include: ['run', 'status', 'tools'],
};
export const RUNS_BY_MONTH: IndexSpec = {
  name: 'ByMonth',
  partitionKey: 'month',
  sortKey: 'createdAt',
  include: ['run', 'status', 'tools'],
};
export const RUN_INDEXES: readonly IndexSpec[] = [RUNS_BY_OWNER, RUNS_BY_MONTH];
