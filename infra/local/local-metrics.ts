import { type AuditRecord, isDecision, reachedTool } from '../../shared/audit/index.ts';
import { percentile } from '../../functions/api/usage-report.ts';

/** The console's time ranges: how far back, and how wide each point is (about 60 points a range). */
export const METRIC_RANGES = {
  '15m': { rangeMs: 15 * 60_000, stepMs: 15_000 },
  '1h': { rangeMs: 60 * 60_000, stepMs: 60_000 },
  '24h': { rangeMs: 24 * 60 * 60_000, stepMs: 30 * 60_000 },
  '7d': { rangeMs: 7 * 24 * 60 * 60_000, stepMs: 3 * 60 * 60_000 },
} as const;
export type MetricRange = keyof typeof METRIC_RANGES;

export const isMetricRange = (value: string): value is MetricRange => Object.hasOwn(METRIC_RANGES, value);

/** One count per point of the range. */
export type Counts = number[];

/** What the dashboard graphs deployed, as time series over a range (the local stand-in for its CloudWatch metrics). */
export interface MetricSeries {
  readonly range: MetricRange;
  readonly stepMs: number;
  /** Each point's start, epoch seconds (what uPlot takes). */
  readonly times: readonly number[];
  /** Per tool: calls that reached its function, those that failed, those throttled, and the failures that opened its breaker. */
  readonly tools: Readonly<Record<string, { calls: Counts; errors: Counts; throttles: Counts; breakerOpened: Counts }>>;
  /** Failed calls of every tool by error code (refusals at screening included, as the dashboard's errors by code). */
  readonly errorsByCode: Readonly<Record<string, Counts>>;
  /** Durations of the calls that reached a tool, all tools together, per point (null: no call). */
  readonly durationMs: { readonly p50: ReadonlyArray<number | null>; readonly p95: ReadonlyArray<number | null> };
  /** Runs by the point they started in, by their status now. */
  readonly runsByStatus: Readonly<Record<string, Counts>>;
  /** Approval decisions and expiries by when they happened. */
  readonly approvals: { readonly approved: Counts; readonly denied: Counts; readonly expired: Counts };
}

/**
 * The dashboard's figures over time, from the audit trail (one record per attempt, per decision)
 * and the runs: the same events the deployed EMF metrics count, bucketed into the range's points.
 * Pure, so the console's graphs and their tests read the same numbers.
 *
 * @example
 * metricSeries({ records, runs, tools: ['lookup_order'], range: '1h', now: Date.now() })
 */
export const metricSeries = (input: {
  readonly records: readonly AuditRecord[];
  readonly runs: ReadonlyArray<{ readonly createdAt: string; readonly status: string }>;
  readonly tools: readonly string[];
  readonly range: MetricRange;
  readonly now: number;
}): MetricSeries => {
  const { rangeMs, stepMs } = METRIC_RANGES[input.range];
  const points = Math.round(rangeMs / stepMs);
  // Points end at the next step boundary after now, so the last point is the one filling up.
  const end = Math.ceil((input.now + 1) / stepMs) * stepMs;
  const start = end - points * stepMs;
  const indexOf = (iso: string) => {
    const at = Date.parse(iso);
    return Number.isNaN(at) || at < start || at >= end ? -1 : Math.floor((at - start) / stepMs);
  };
  const zeros = () => new Array<number>(points).fill(0);
  const tools: Record<string, { calls: Counts; errors: Counts; throttles: Counts; breakerOpened: Counts }> = Object.fromEntries(
    input.tools.map((tool) => [tool, { calls: zeros(), errors: zeros(), throttles: zeros(), breakerOpened: zeros() }]),
  );
  const errorsByCode: Record<string, Counts> = {};
  const durations: number[][] = Array.from({ length: points }, () => []);
  const approvals = { approved: zeros(), denied: zeros(), expired: zeros() };
  for (const record of input.records) {
    const i = indexOf(record.at);
    if (i < 0) continue;
    if (isDecision(record)) {
      if (record.status === 'approved' || record.status === 'denied') (approvals[record.status] as Counts)[i]!++;
      continue;
    }
    if (record.code === 'APPROVAL_EXPIRED') approvals.expired[i]!++;
    const failed = record.status !== 'executed' && record.status !== 'replayed';
    if (failed && record.code) (errorsByCode[record.code] ??= zeros())[i]!++;
    const series = tools[record.tool];
    if (!series || !reachedTool(record)) continue;
    series.calls[i]!++;
    if (failed) series.errors[i]!++;
    if (record.code === 'RATE_LIMITED') series.throttles[i]!++;
    if (record.breakerOpened) series.breakerOpened[i]!++;
    durations[i]!.push(record.durationMs);
  }
  const runsByStatus: Record<string, Counts> = {};
  for (const run of input.runs) {
    const i = indexOf(run.createdAt);
    if (i >= 0) (runsByStatus[run.status] ??= zeros())[i]!++;
  }
  const sorted = durations.map((d) => d.sort((a, b) => a - b));
  return {
    range: input.range,
    stepMs,
    times: Array.from({ length: points }, (_, i) => (start + i * stepMs) / 1000),
    tools,
    errorsByCode,
    durationMs: {
      p50: sorted.map((d) => (d.length ? percentile(d, 50) : null)),
      p95: sorted.map((d) => (d.length ? percentile(d, 95) : null)),
    },
    runsByStatus,
    approvals,
  };
};
