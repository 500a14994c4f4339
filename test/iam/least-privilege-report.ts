/**
 * `npm run iam:report`: the least-privilege report. Starts the local system (every function's
 * calls checked against its synthesized role), drives every tool, an approval, a denial and the
 * API's reads through the HTTP API, then prints, per function, the granted actions that no call
 * used. docs/testing.md ("Least privilege") explains each kind of leftover.
 */
import type { AddressInfo } from 'node:net';
import { createApiServer } from '../../infra/local/http-server.ts';
import { unusedGrants } from '../../infra/local/iam/least-privilege.ts';
import { loadLocalUsers } from '../../infra/local/local-users.ts';
import { startDemoSystem } from '../../infra/local/demo-app.ts';

process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

const users = loadLocalUsers();
const page = `<html><body>Public page.</body></html>`;
const system = await startDemoSystem({
  users,
  approvalTimeoutMs: 4000,
  fetch: (async () => new Response(page, { headers: { 'content-type': 'text/html' } })) as unknown as typeof fetch,
});
const server = createApiServer(system.deps, users);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const api = async (method: string, path: string, token: string, body?: unknown) =>
  (await (
    await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  ).json()) as Record<string, unknown>;
const until = async <T>(probe: () => Promise<T | undefined>): Promise<T> => {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
};
const ended = (runId: string) =>
  until(async () => {
    const run = await api('GET', `/runs/${runId}`, 'local-admin-token');
    return ['SUCCEEDED', 'FAILED', 'MAX_ITERATIONS'].includes(String(run.status)) ? run : undefined;
  });

const calls = [
  { name: 'search_knowledge_base', arguments: { query: 'return an item' } },
  { name: 'lookup_order', arguments: { orderId: 'ORD-104233' } },
  { name: 'read_document', arguments: { path: 'policies/leave-policy.md' } },
  { name: 'read_document', arguments: { path: 'policies/missing.md' } }, // a 404 from S3: needs s3:ListBucket
  { name: 'fetch_url', arguments: { url: 'https://example.com/' } },
  { name: 'create_ticket', arguments: { title: 'Printer', description: 'It jams.', priority: 'low' } },
  { name: 'send_email', arguments: { to: 'jane@example.com', subject: 'Hi', body: 'Hello.' } },
  { name: 'publish_announcement', arguments: { title: 'Office closed', body: 'Friday.' } },
  { name: 'delete_document', arguments: { path: 'drafts-q4-announcement.md' } },
  { name: 'delete_document', arguments: { path: 'drafts/missing.md' } },
  { name: 'lookup_order', arguments: { orderId: 'ORD-1' } }, // refused at screening
];
// One run makes every call; the approver approves the four destructive calls.
const { runId } = (await api('POST', '/runs', 'local-admin-token', {
  input: 'tour',
  model: { provider: 'scripted', turns: [{ toolCalls: calls }, { text: 'done' }] },
})) as { runId: string };
const decided = new Set<string>();
while (decided.size < 4) {
  const pending = (await api('GET', '/approvals?status=pending', 'local-approver-token')).approvals as Array<{
    approvalId: string;
    tool: string;
  }>;
  for (const approval of pending.filter((a) => !decided.has(a.approvalId))) {
    const answer = await api('POST', `/approvals/${approval.approvalId}`, 'local-approver-token', { decision: 'approve', reason: 'tour' });
    // An approval that expired before it was decided (a slow machine) would leave its tool unused: say so.
    if (answer.status !== 'APPROVED') throw new Error(`the tour's approval of ${approval.tool} was not taken: ${JSON.stringify(answer)}`);
    decided.add(approval.approvalId);
  }
  await new Promise((r) => setTimeout(r, 20));
}
await ended(runId);
// An approval nobody decides expires; the API's reads.
const expiring = (await api('POST', '/runs', 'local-admin-token', {
  input: 'tour',
  model: { provider: 'scripted', turns: [{ toolCalls: [calls.find((c) => c.name === 'send_email')!] }, { text: 'done' }] },
})) as { runId: string };
await ended(expiring.runId);
await api('GET', `/runs/${runId}/audit`, 'local-admin-token');
await api('GET', '/tools', 'local-user-token');

const report = unusedGrants(system.iam.policies, system.iam.used());
/** Why a granted action can go unused by every local path: each leftover falls in one of these. */
const KINDS: Array<[kind: string, test: (action: string, resource: string) => boolean]> = [
  ['X-Ray (the Lambda runtime writes traces; nothing local does)', (a) => a.startsWith('xray:')],
  [
    "DynamoDB streams (CDK's read grants include them; the tables have no stream)",
    (a) => a === 'dynamodb:GetRecords' || a === 'dynamodb:GetShardIterator',
  ],
  ["the rest of CDK's grantRead/Write bundles (DescribeTable, Batch*, ConditionCheckItem, Scan, ...)", (a) => a.startsWith('dynamodb:')],
  [
    'AWS services the local system runs in-process or does not call (Step Functions, Bedrock, SES domain identity)',
    (a) => /^(states|bedrock|ses):/.test(a),
  ],
];
const kindOf = (action: string, resource: string) => KINDS.find(([, test]) => test(action, resource))?.[0] ?? 'not explained: look at it';
console.log(`# Least-privilege report: granted actions no call used (${new Date().toISOString()})\n`);
console.log(`Denied during the tour: ${system.iam.denials().length}\n`);
console.log('| function | granted pairs unused | by kind |');
console.log('|---|---:|---|');
const totals = new Map<string, number>();
for (const [fn, unused] of report) {
  const kinds = new Map<string, number>();
  for (const { action, resource } of unused) {
    const kind = kindOf(action, resource);
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    totals.set(kind, (totals.get(kind) ?? 0) + 1);
  }
  console.log(`| ${fn} | ${unused.length} | ${[...kinds].map(([k, n]) => `${n} ${k.split(' (')[0]}`).join('; ')} |`);
}
console.log('\nKinds:');
for (const [kind] of KINDS) console.log(`- ${kind}: ${totals.get(kind) ?? 0}`);
console.log(`- not explained: ${totals.get('not explained: look at it') ?? 0}`);
if (process.argv.includes('--verbose')) {
  for (const [fn, unused] of report) console.log(`\n${fn}:\n${unused.map((u) => `  ${u.action} ${u.resource}`).join('\n')}`);
}
server.close();
await system.stop();
