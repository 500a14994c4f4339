import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AuditRecord } from '#shared/audit/audit-record.ts';

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
export const toolCounters = async (client: DynamoDBClient, auditTable: string, tools: readonly string[], openBreakers: ReadonlySet<string>): Promise<Record<string, ToolCounters>> => {
  const counters: Record<string, ToolCounters> = Object.fromEntries(tools.map((t) => [t, { calls: 0, errors: 0, throttles: 0, breaker: openBreakers.has(t) ? 'OPEN' : 'CLOSED' }]));
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const from = startKey;
    const out = await client.send(new ScanCommand({ TableName: auditTable, ExclusiveStartKey: from }));
    for (const item of out.Items ?? []) {
      const record = JSON.parse(item.record?.S ?? '{}') as AuditRecord;
      const counter = counters[record.tool];
      if (!counter || record.attemptId?.startsWith('decision-')) continue;
      counter.calls++;
      if (record.status !== 'executed' && record.status !== 'replayed') counter.errors++;
      if (record.code === 'RATE_LIMITED') counter.throttles++;
    }
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return counters;
};
