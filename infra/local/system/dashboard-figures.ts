import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbAuditStore } from '../../../shared/audit/index.ts';
import type { DynamoDbBreakerStore } from '../../../shared/breaker/index.ts';
import { DynamoDbRunStore, type RunListCursor, type RunRecord } from '../../../shared/runs/index.ts';
import { METRIC_RANGES, metricSeries, type MetricRange, type MetricSeries } from '../local-metrics.ts';
import { toolCounters } from '../local-stats.ts';
import type { LocalTables } from './data-services.ts';
import type { ToolRegistry } from '../../../shared/tool/index.ts';

/**
 * What CloudWatch would show, read from the tables (the console's dashboard): per-tool counters
 * from the audit trail and the breakers, and time series from the audit trail (its day index) and
 * the runs (their month index).
 */
export const dashboardFigures = (
  platformClient: DynamoDBClient,
  { tables, runsTable }: Pick<LocalTables, 'tables' | 'runsTable'>,
  registry: Pick<ToolRegistry, 'tools'>,
  breakers: Pick<DynamoDbBreakerStore, 'openAmong'>,
) => {
  const tools = registry.tools.map((tool) => tool.name);
  const audit = new DynamoDbAuditStore({ client: platformClient, tableName: tables.audit });
  const runStore = new DynamoDbRunStore({ client: platformClient, tableName: runsTable });
  return {
    /** Per-tool counters from the audit trail and the breakers (the console's dashboard). */
    stats: async () => toolCounters(platformClient, tables.audit, tools, await breakers.openAmong(tools)),
    /** The dashboard's figures over a range, as time series (the console's graphs), read as CloudWatch would hold them. */
    metrics: async (range: MetricRange): Promise<MetricSeries> => {
      const now = Date.now();
      const { rangeMs, stepMs } = METRIC_RANGES[range];
      const since = new Date(now - rangeMs - stepMs);
      const { records } = await audit.listBetween(since, new Date(now));
      const runs: RunRecord[] = [];
      let cursor: RunListCursor | undefined;
      do {
        const page = await runStore.list({ limit: 100, months: 2, ...(cursor ? { cursor } : {}) });
        runs.push(...page.runs);
        cursor = page.cursor;
        // Newest first: a page that reaches back before the range is the last one needed.
        if ((page.runs.at(-1)?.createdAt ?? '') < since.toISOString()) break;
      } while (cursor && runs.length < 10_000);
      return metricSeries({ records, runs, tools, range, now });
    },
  };
};
