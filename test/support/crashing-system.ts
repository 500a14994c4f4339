/**
 * A local system (with DATA_DIR) whose process is killed in the middle of a tool call: it starts a
 * run whose fetch_url call never gets an answer from the internet, says `claimed` once the call
 * holds its idempotency claim, and waits to be killed. Run by restart.test.ts.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { startDemoSystem } from '../../infra/local/demo-app.ts';

const [dataDir, runId] = process.argv.slice(2) as [string, string];
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
const system = await startDemoSystem({ dataDir, fetch: (() => new Promise(() => {})) as unknown as typeof fetch });
const now = new Date().toISOString();
const script = {
  provider: 'scripted' as const,
  turns: [{ toolCalls: [{ name: 'fetch_url', arguments: { url: 'https://example.com/' } }] }, { text: 'Fetched.' }],
};
await system.runs.create({
  runId,
  owner: 'uma',
  groups: ['user'],
  input: 'Fetch it',
  maxIterations: 5,
  iteration: 0,
  status: 'RUNNING',
  script,
  createdAt: now,
  updatedAt: now,
});
await system.deps.startExecution(runId);
for (;;) {
  const { Items = [] } = await system.client.send(new ScanCommand({ TableName: system.tables.idempotency, ConsistentRead: true }));
  if (Items.some((item) => item.id?.S?.startsWith(`fetch_url#${runId}#`) && item.status?.S === 'INPROGRESS')) break;
  await new Promise((r) => setTimeout(r, 10));
}
console.log('claimed');
await new Promise(() => {});
