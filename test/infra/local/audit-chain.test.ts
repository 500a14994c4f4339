import { DeleteItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { type AuditRecord, type ChainVerdict, DynamoDbAuditStore } from '#shared/audit/index.ts';
import { declarationVersion } from '#shared/tool/index.ts';
import { toolCatalog } from '#functions/tools/catalog.ts';
import { main } from '../../../infra/audit/audit-verify-cli.ts';
import { until, useLocalServer } from '../../support/local-server.ts';

// A run through npm start's API, sealed by the loop as deployed; then its records tampered with
// straight in DynamoDB, as someone with write access to the table could, and each change caught.
const world = useLocalServer();

const api = (method: string, path: string, token: string, body?: unknown) => world.api(method, path, token, body);
type Verification = ChainVerdict & { status: string; archived?: { at: string; head: string } | null };
/** The breaks the chain in the table shows by itself (the archive's comparison aside). */
const chainBreaks = (v: Verification) => v.breaks.filter((b) => b.kind !== 'archive-mismatch');
const archiveBreaks = (v: Verification) => v.breaks.filter((b) => b.kind === 'archive-mismatch');
const verify = async (runId: string) =>
  (await api('GET', `/runs/${runId}/audit/verify`, world.tokenOfRole('admin'))).body as unknown as Verification;
const cli = async (runId: string) => {
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((m: unknown) => void out.push(String(m)));
  try {
    return { code: await main([runId, '--url', world.base, '--token', world.tokenOfRole('admin')], {}), out: out.join('\n') };
  } finally {
    log.mockRestore();
  }
};
/** The run's stored audit items, straight from the table. */
const items = async (runId: string) =>
  (
    await world.system.client.send(
      new QueryCommand({
        TableName: world.system.tables.audit,
        KeyConditionExpression: 'runId = :r',
        ExpressionAttributeValues: { ':r': { S: runId } },
      }),
    )
  ).Items ?? [];

/** A finished run with calls over three steps: two tools and a refusal, an approved email, an answer. */
const finishedRun = async () => {
  const admin = world.tokenOfRole('admin');
  const { body } = await api('POST', '/runs', admin, {
    input: 'Look up ORD-104231, open a ticket, email Jane.',
    model: {
      provider: 'scripted',
      turns: [
        {
          toolCalls: [
            { name: 'lookup_order', arguments: { orderId: 'ORD-104231' } },
            { name: 'create_ticket', arguments: { title: 'Late', description: 'Order is late.', priority: 'low' } },
            { name: 'drop_tables', arguments: {} },
          ],
        },
        { toolCalls: [{ name: 'send_email', arguments: { to: 'jane@example.com', subject: 'Order', body: 'On its way.' } }] },
        { text: 'Done.' },
      ],
    },
  });
  const runId = body.runId as string;
  const pending = await until(async () => {
    const list = (await api('GET', '/approvals?status=pending', world.tokenOfRole('approver'))).body.approvals as Array<{
      approvalId: string;
      runId: string;
    }>;
    return list.find((a) => a.runId === runId);
  });
  expect((await api('POST', `/approvals/${pending.approvalId}`, world.tokenOfRole('approver'), { decision: 'approve' })).status).toBe(200);
  await until(async () => {
    const run = (await api('GET', `/runs/${runId}`, admin)).body;
    return run.status === 'SUCCEEDED' ? run : undefined;
  });
  // The last step seals and archives after it answers: wait for both, not for time.
  await until(async () => {
    const verdict = await verify(runId);
    return verdict.sealed === 5 && verdict.archived ? true : undefined;
  });
  return runId;
};

describe('the audit trail as a hash chain (npm run audit:verify, GET /runs/{id}/audit/verify)', () => {
  it('seals every record of a finished run, each naming the version of its tool’s declaration', async () => {
    const runId = await finishedRun();
    const verdict = await verify(runId);
    // lookup, ticket, the refusal at screening, the approval decision, the email.
    expect(verdict).toMatchObject({ status: 'SUCCEEDED', intact: true, records: 5, sealed: 5, pending: 0, breaks: [] });
    expect(verdict.links).toBeGreaterThanOrEqual(2);
    const records = (await api('GET', `/runs/${runId}/audit`, world.tokenOfRole('admin'))).body.records as AuditRecord[];
    for (const record of records) {
      const tool = toolCatalog.resolve(record.tool);
      expect(record.declaration, record.tool).toBe(tool ? declarationVersion(tool) : undefined);
    }
    expect(records.map((r) => r.tool).sort()).toEqual(['create_ticket', 'drop_tables', 'lookup_order', 'send_email', 'send_email']);
    const { code, out } = await cli(runId);
    expect(code).toBe(0);
    expect(out).toContain('the audit chain is intact: 5 records in the table, 5 in the chain');
  });

  it('catches a record edited, a record deleted and a record forged in the table, and says where', async () => {
    const runId = await finishedRun();
    const records = (await items(runId)).filter((item) => item.record?.S);
    const [first, second] = records.sort((a, b) => String(a.sk?.S).localeCompare(String(b.sk?.S)));
    const client = world.system.client;
    const table = world.system.tables.audit;

    // Edited: the first record's caller rewritten.
    const edited = { ...(JSON.parse(first!.record!.S!) as AuditRecord), userId: 'mallory' };
    await client.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { runId: { S: runId }, sk: first!.sk! },
        UpdateExpression: 'SET #record = :r',
        ExpressionAttributeNames: { '#record': 'record' },
        ExpressionAttributeValues: { ':r': { S: JSON.stringify(edited) } },
      }),
    );
    let verdict = await verify(runId);
    expect(verdict.intact).toBe(false);
    expect(chainBreaks(verdict).map((b) => `${b.kind}:${b.key}`)).toEqual([`edited:${first!.sk!.S}`]);
    // The archived copy disagrees on the same record.
    expect(archiveBreaks(verdict).map((b) => b.key)).toEqual([first!.sk!.S]);

    // Deleted: the second record gone.
    await client.send(new DeleteItemCommand({ TableName: table, Key: { runId: { S: runId }, sk: second!.sk! } }));
    verdict = await verify(runId);
    // Breaks come in chain order (seal by seal), which need not be the records' time order.
    expect(
      chainBreaks(verdict)
        .map((b) => `${b.kind}:${b.key}`)
        .sort(),
    ).toEqual([`deleted:${second!.sk!.S}`, `edited:${first!.sk!.S}`]);

    // Forged: a record added after the run ended.
    const forgedKey = `2099-01-01T00:00:00.000Z#forged`;
    await client.send(
      new PutItemCommand({
        TableName: table,
        Item: { ...second!, sk: { S: forgedKey } },
      }),
    );
    verdict = await verify(runId);
    expect(
      chainBreaks(verdict)
        .map((b) => b.kind)
        .sort(),
    ).toEqual(['deleted', 'edited', 'unsealed']);
    expect(chainBreaks(verdict).at(-1)?.key).toBe(forgedKey);
    expect(archiveBreaks(verdict)).toHaveLength(3);

    const { code, out } = await cli(runId);
    expect(code).toBe(2);
    expect(out).toContain('the audit chain BREAKS (6 breaks)');
    expect(out).toContain(`edited: The record ${first!.sk!.S} was changed after seal`);
  });

  it('catches, through the archived copy, a table rewritten consistently: a record edited and every seal recomputed', async () => {
    const runId = await finishedRun();
    expect((await verify(runId)).archived).toMatchObject({ head: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const client = world.system.client;
    const table = world.system.tables.audit;
    const all = await items(runId);
    const [first] = all.filter((item) => item.record?.S).sort((a, b) => String(a.sk?.S).localeCompare(String(b.sk?.S)));
    const edited = { ...(JSON.parse(first!.record!.S!) as AuditRecord), userId: 'mallory' };
    await client.send(new PutItemCommand({ TableName: table, Item: { ...first!, record: { S: JSON.stringify(edited) } } }));
    // Seals removed and made again over the edited records, as someone who can write the table could.
    for (const seal of all.filter((item) => item.link?.S))
      await client.send(new DeleteItemCommand({ TableName: table, Key: { runId: { S: runId }, sk: seal.sk! } }));
    const store = new DynamoDbAuditStore({ client, tableName: table });
    await store.seal(runId);
    const verdict = await verify(runId);
    expect(chainBreaks(verdict)).toEqual([]);
    expect(archiveBreaks(verdict).map((b) => b.key ?? 'head')).toEqual([first!.sk!.S, 'head']);
    expect(verdict.intact).toBe(false);
  });

  it('shows a run’s chain to its owner and admins only', async () => {
    const runId = await finishedRun();
    expect((await api('GET', `/runs/${runId}/audit/verify`, world.tokenOfRole('user'))).status).toBe(404);
    expect((await api('GET', `/runs/${runId}/audit/verify`, world.tokenOfRole('admin'))).status).toBe(200);
  });
});
