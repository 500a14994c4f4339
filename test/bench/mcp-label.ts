import { setTimeout as sleep } from 'node:timers/promises';
import { buildScreeningRecord, DynamoDbAuditStore } from '#shared/audit/index.ts';
import { createDynamoDbClient } from '#shared/aws/index.ts';
import { createEmbeddedTables, guardTableSpecs } from '#shared/tables/index.ts';
import { DynamoDbMcpLabelStore } from '#functions/api/mcp/mcp-label-store.ts';
import { embeddedClientConfig } from '../../infra/local/embedded-aws.ts';
import { startEmbeddedDynamoDb } from '../support/embedded-dynamodb.ts';
import { summary } from './bench-stats.ts';

/**
 * What the information-flow check adds to an MCP sink's call: the user's label read in one
 * strongly consistent GetItem, against the read it replaced (the session's audit trail, a query
 * that grows with the session: here 20 records). Both with `latencyMs` before every request, as the
 * network adds on AWS, interleaved call by call.
 */
export const measureMcpLabel = async (iterations: number, latencyMs: number) => {
  const db = await startEmbeddedDynamoDb();
  try {
    const names = await createEmbeddedTables(db.client, [guardTableSpecs.guard, guardTableSpecs.audit], 'bench-label-');
    const client = createDynamoDbClient(embeddedClientConfig(db.endpoint));
    client.middlewareStack.add((next) => async (args) => (await sleep(latencyMs), next(args)), {
      step: 'finalizeRequest',
      name: 'benchLatency',
    });
    const labels = new DynamoDbMcpLabelStore({ client, tableName: names[guardTableSpecs.guard.id] as string });
    const audit = new DynamoDbAuditStore({ client, tableName: names[guardTableSpecs.audit.id] as string });
    await labels.mark('bench', { tool: 'read_document', callId: 'mcp-1', runId: 'mcp-bench' });
    for (let i = 0; i < 20; i++)
      await audit.put(
        buildScreeningRecord({
          runId: 'mcp-bench',
          callId: `mcp-${i}`,
          tool: 'lookup_order',
          userId: 'bench',
          code: 'VALIDATION_FAILED',
          at: Date.now() + i,
          arguments: {},
          result: {},
        }),
      );
    const label: number[] = [];
    const sessionTrail: number[] = [];
    for (let i = 0; i < iterations; i++) {
      let start = performance.now();
      await labels.get('bench');
      label.push(performance.now() - start);
      start = performance.now();
      await audit.listByRun('mcp-bench');
      sessionTrail.push(performance.now() - start);
    }
    return { label: summary(label), sessionTrail: summary(sessionTrail) };
  } finally {
    await db.stop();
  }
};
