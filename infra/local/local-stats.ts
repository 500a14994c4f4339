import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type AuditRecord, reachedTool } from '../../shared/audit/index.ts';
import { readAllPages } from '../../shared/aws/index.ts';

/**
 * A tool's counters in the local system: calls, errors, throttles, and whether its breaker is
 * open.
 */
export interface ToolCounters {
  calls: number;
  errors: number;
  throttles: number;
  breaker: 'OPEN' | 'CLOSED';
}

/**
 * Per-tool counters for the console, the local stand-in for the dashboard: read from the audit
 * trail (every attempt has exactly one record) and the breakers.
 */
export const toolCounters = async (
  client: DynamoDBClient,
  auditTable: string,
  tools: readonly string[],
  openBreakers: ReadonlySet<string>,
): Promise<Record<string, ToolCounters>> => {
  const counters: Record<string, ToolCounters> = Object.fromEntries(
    tools.map((t) => [t, { calls: 0, errors: 0, throttles: 0, breaker: openBreakers.has(t) ? 'OPEN' : 'CLOSED' }]),
  );
  for (const item of await readAllPages(client, 'The audit trail could not be read.', { scan: { TableName: auditTable } })) {
    const record = JSON.parse(item.record?.S ?? '{}') as AuditRecord;
    const counter = counters[record.tool];
    // Decisions, refusals at screening and expiries never reached the tool: they are not its calls.
    if (!counter || !reachedTool(record)) continue;
    counter.calls++;
    if (record.status !== 'executed' && record.status !== 'replayed') counter.errors++;
    if (record.code === 'RATE_LIMITED') counter.throttles++;
  }
  return counters;
};
