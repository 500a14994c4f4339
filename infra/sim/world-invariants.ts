import { type AuditRecord, ranHandler } from '../../shared/audit/index.ts';
import { callsMade } from './sim-invariants.ts';
import { SIM_USER_DAY_TOOL_CALLS } from './sim-scenarios.ts';
import { CallStatus, ErrorCode } from '../../shared/tool-result/index.ts';
import { readAllPages } from '../../shared/aws/index.ts';
import type { AnyTool, BucketLimit } from '../../shared/tool/index.ts';
import type { SimWorld } from './sim-world.ts';
import { breakerInvariants } from './tool-failures.ts';
import { MAX_CLOCK_SKEW_MS } from './fault-plan.ts';

/** An admitted call: when its attempt started and ended (epoch ms); it was admitted in between. */
export interface Admission {
  readonly start: number;
  readonly end: number;
}

/** The most calls a bucket may admit over `spanMs`: its capacity and what it refilled meanwhile. */
const mostAdmitted = (limit: BucketLimit, spanMs: number): number => limit.capacity + (limit.refillPerMinute * spanMs) / 60_000;

/**
 * A stretch of admissions (sorted by start) that a bucket of `limit` could not have admitted, if
 * any. Each call was admitted somewhere within its attempt, so a stretch is given the longest span
 * it can have had (from its first start to its latest end): a call is never blamed on the clock.
 * Only stretches of more calls than the capacity can overflow it. A bucket whose callers' clocks
 * differ by up to `clockSpreadMs` judges each call on its caller's clock, so it may admit what that
 * much more time refills: a caller ahead of another spends tokens that are not there yet on the other's.
 */
export const overAdmitted = (
  admissions: readonly Admission[],
  limit: BucketLimit,
  clockSpreadMs = 0,
): { readonly count: number; readonly spanMs: number } | undefined => {
  for (let last = limit.capacity; last < admissions.length; last += 1) {
    let latestEnd = -Infinity;
    for (let first = last; first >= 0; first -= 1) {
      latestEnd = Math.max(latestEnd, (admissions[first] as Admission).end);
      const count = last - first + 1;
      const spanMs = latestEnd - (admissions[first] as Admission).start;
      if (count > limit.capacity && count > mostAdmitted(limit, spanMs + clockSpreadMs)) return { count, spanMs };
    }
  }
  return undefined;
};

/**
 * An attempt the rate limiter certainly admitted: its handler ran, and ended as the handler's own
 * (a guard store that failed before the limiter ends an attempt as INTERNAL too, so that is left out).
 */
const admitted = (record: AuditRecord): boolean =>
  ranHandler(record) && (record.status !== CallStatus.FAILED || record.code === ErrorCode.TOOL_FAILED);

/**
 * What must hold of a whole world after its seeds, whose runs shared it side by side: breakers open
 * only on tools' own failures (`breakerInvariants`), no user made more calls in a day than their
 * budget, and a tool's
 * bucket shared by every user (`limits.perTool`) never admitted more calls than its capacity and
 * refill allow, over any stretch of time, given how far its callers' clocks differ. An admitted call
 * is an attempt whose handler ran, as the audit trail records it, at the true time of its stamps (the
 * tool's clock, whose offset in each run's seed `clocks` gives).
 */
export const worldInvariants = async (
  world: Pick<SimWorld, 'system' | 'toolFailures'>,
  clocks: ReadonlyMap<string, Readonly<Record<string, number>>>,
): Promise<{ readonly broken: string[]; readonly breakerOpenings: number }> => {
  const { system } = world;
  const items = await readAllPages(system.client, 'The audit trail could not be read.', { scan: { TableName: system.tables.audit } });
  const records = items.flatMap((item) => (item.record?.S ? [JSON.parse(item.record.S) as AuditRecord] : []));
  const tools = system.deps.registry.tools;
  const breakers = breakerInvariants(tools, records, world.toolFailures, clocks);
  return {
    broken: [...bucketInvariants(tools, records, clocks), ...breakers.broken, ...userDayInvariants(records)],
    breakerOpenings: breakers.openings,
  };
};

/**
 * No user made more tool calls in a day than their budget (`SIM_USER_DAY_TOOL_CALLS`), across all
 * their runs, side by side or not. A call is counted in each UTC day its stamp may belong to (the
 * clocks differ by a second or two), so a user whose calls straddle midnight may have two days' worth.
 */
const userDayInvariants = (records: readonly AuditRecord[]): string[] => {
  const byUser = Map.groupBy(
    records.filter((r) => ranHandler(r)),
    (r) => r.userId,
  );
  return [...byUser].flatMap(([user, theirs]) => {
    const days = new Set(theirs.flatMap((r) => [-2000, 2000].map((ms) => new Date(Date.parse(r.at) + ms).toISOString().slice(0, 10))));
    const made = callsMade(theirs);
    return made > SIM_USER_DAY_TOOL_CALLS * days.size
      ? [`user ${user} made ${made} tool calls on a budget of ${SIM_USER_DAY_TOOL_CALLS} a day (over ${days.size} day(s))`]
      : [];
  });
};

/** No tool's shared bucket admitted more than its capacity and refill allow (see `worldInvariants`). */
const bucketInvariants = (
  tools: readonly AnyTool[],
  records: readonly AuditRecord[],
  clocks: ReadonlyMap<string, Readonly<Record<string, number>>>,
): string[] =>
  tools.flatMap((tool) => {
    const admissions = records
      .filter((r) => r.tool === tool.name && admitted(r))
      .map((r) => {
        const start = Date.parse(r.at) - (clocks.get(r.runId)?.[tool.name] ?? 0);
        return { start, end: start + r.durationMs };
      })
      .sort((a, b) => a.start - b.start);
    const over = overAdmitted(admissions, tool.limits.perTool, 2 * MAX_CLOCK_SKEW_MS);
    return over
      ? [
          `${tool.name}'s shared bucket admitted ${over.count} calls in ${over.spanMs} ms (capacity ${tool.limits.perTool.capacity}, refill ${tool.limits.perTool.refillPerMinute} a minute)`,
        ]
      : [];
  });
