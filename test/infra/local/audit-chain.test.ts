import {
  type AttributeValue,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { type AuditLink, type AuditRecord, callerToolKey, type ChainVerdict, DynamoDbAuditStore } from '#shared/audit/index.ts';
import { orchestrationTableSpecs } from '#shared/tables/index.ts';
import { declarationVersion } from '#shared/tool/index.ts';
import { toolCatalog } from '#functions/tools/catalog.ts';
import { main } from '../../../infra/audit/audit-verify-cli.ts';
import { until, useLocalServer } from '../../support/local-server.ts';

// A run through npm start's API, sealed by the loop as deployed; then its records tampered with
// straight in DynamoDB, as someone with write access to the table could, and each change caught.
// Requesters of their own, taken in turn: each finished run sends one email, and send_email allows 3 a user in a burst.
const requesters = ['adam', 'ada', 'abe', 'amy'];
const world = useLocalServer({
  extraUsers: requesters.slice(1).map((userId) => ({ token: `local-${userId}-token`, userId, groups: ['admin'] })),
});
let runs = 0;
const nextRequester = () => world.tokenOf(requesters[runs++ % requesters.length] as string);

const api = (method: string, path: string, token: string, body?: unknown) => world.api(method, path, token, body);
type Verification = ChainVerdict & {
  status: string;
  archived?: { at: string; head: string } | null;
  anchored?: { seq: number; at: string; ended: boolean } | null;
};
/** What only copies outside the tables can show: the archive's and the anchors' comparisons. */
const OUTSIDE = new Set(['archive-mismatch', 'anchor-mismatch', 'anchor-beyond-table', 'reopened', 'sealed-after-end']);
/** The breaks the chain in the table shows by itself (the archive's and the anchors' comparisons aside). */
const chainBreaks = (v: Verification) => v.breaks.filter((b) => !OUTSIDE.has(b.kind));
const archiveBreaks = (v: Verification) => v.breaks.filter((b) => b.kind === 'archive-mismatch');
const anchorBreaks = (v: Verification) => v.breaks.filter((b) => OUTSIDE.has(b.kind) && b.kind !== 'archive-mismatch');
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

/** Starts a run as the next requester, its scripted model taking these turns: its id and the requester's token. */
const startScripted = async (input: string, turns: unknown[]) => {
  const admin = nextRequester();
  const { body } = await api('POST', '/runs', admin, { input, model: { provider: 'scripted', turns } });
  return { runId: body.runId as string, admin };
};
/** The run's pending approval, once it waits for one. */
const pendingOf = (runId: string) =>
  until(async () =>
    (
      (await api('GET', '/approvals?status=pending', world.tokenOfRole('approver'))).body.approvals as Array<{
        approvalId: string;
        runId: string;
      }>
    ).find((a) => a.runId === runId),
  );

/** A finished run with calls over three steps: two tools and a refusal, an approved email, an answer. */
const finishedRun = async () => {
  const { runId, admin } = await startScripted('Look up ORD-104231, open a ticket, email Jane.', [
    {
      toolCalls: [
        { name: 'lookup_order', arguments: { orderId: 'ORD-104231' } },
        { name: 'create_ticket', arguments: { title: 'Late', description: 'Order is late.', priority: 'low' } },
        { name: 'drop_tables', arguments: {} },
      ],
    },
    { toolCalls: [{ name: 'send_email', arguments: { to: 'jane@example.com', subject: 'Order', body: 'On its way.' } }] },
    { text: 'Done.' },
  ]);
  const pending = await pendingOf(runId);
  expect((await api('POST', `/approvals/${pending.approvalId}`, world.tokenOfRole('approver'), { decision: 'approve' })).status).toBe(200);
  await until(async () => {
    const run = (await api('GET', `/runs/${runId}`, admin)).body;
    return run.status === 'SUCCEEDED' ? run : undefined;
  });
  // The last step seals and archives after it answers: wait for both, not for time.
  await until(async () => {
    const verdict = await verify(runId);
    return verdict.sealed === 5 && verdict.archived && verdict.anchored?.ended ? true : undefined;
  });
  return runId;
};

/**
 * A run's first record edited, and every seal removed and made again over the edited records, as
 * someone who can write the table could: the chain in the table is whole again. @returns the record's item as it was
 */
const rewriteConsistently = async (runId: string) => {
  const client = world.system.client;
  const table = world.system.tables.audit;
  const all = await items(runId);
  const [first] = all.filter((item) => item.record?.S).sort((a, b) => String(a.sk?.S).localeCompare(String(b.sk?.S)));
  const edited = { ...(JSON.parse(first!.record!.S!) as AuditRecord), userId: 'mallory' };
  // Consistently: the calls index's copy of the caller follows the record.
  const callerTool: Record<string, AttributeValue> = first!.callerTool
    ? { callerTool: { S: callerToolKey(edited.tool, edited.userId) } }
    : {};
  await client.send(new PutItemCommand({ TableName: table, Item: { ...first!, record: { S: JSON.stringify(edited) }, ...callerTool } }));
  for (const seal of all.filter((item) => item.link?.S))
    await client.send(new DeleteItemCommand({ TableName: table, Key: { runId: { S: runId }, sk: seal.sk! } }));
  await new DynamoDbAuditStore({ client, tableName: table }).seal(runId);
  return first;
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
    const first = await rewriteConsistently(runId);
    const verdict = await verify(runId);
    expect(chainBreaks(verdict)).toEqual([]);
    expect(archiveBreaks(verdict).map((b) => b.key ?? 'head')).toEqual([first!.sk!.S, 'head']);
    // The anchors, written seal by seal as the run went, disagree too.
    expect(anchorBreaks(verdict).map((b) => b.kind)).toContain('anchor-mismatch');
    expect(verdict.intact).toBe(false);
  });

  it('shows a run’s chain to its owner and admins only', async () => {
    const runId = await finishedRun();
    expect((await api('GET', `/runs/${runId}/audit/verify`, world.tokenOfRole('user'))).status).toBe(404);
    expect((await api('GET', `/runs/${runId}/audit/verify`, world.tokenOfRole('admin'))).status).toBe(200);
  });
});

/** The run's record set back to RUNNING in the runs table, as a role that writes that table could. */
const reopen = async (runId: string) => {
  const table = world.system.tableNames[orchestrationTableSpecs.runs.id] as string;
  const key = { runId: { S: runId }, sk: { S: 'run' } };
  const item = (await world.system.client.send(new GetItemCommand({ TableName: table, Key: key }))).Item;
  const run = { ...(JSON.parse(item!.run!.S!) as Record<string, unknown>), status: 'RUNNING' };
  await world.system.client.send(
    new UpdateItemCommand({
      TableName: table,
      Key: key,
      UpdateExpression: 'SET #run = :run, #status = :status',
      ExpressionAttributeNames: { '#run': 'run', '#status': 'status' },
      ExpressionAttributeValues: { ':run': { S: JSON.stringify(run) }, ':status': { S: 'RUNNING' } },
    }),
  );
};
const sealsOf = (all: Awaited<ReturnType<typeof items>>) =>
  all.filter((item) => item.link?.S).map((item) => ({ sk: item.sk!, link: JSON.parse(item.link!.S!) as AuditLink }));

describe('anchors outside the tables (each seal, while the run goes on)', () => {
  it('catches a tail cut and the run reopened: the last seal and its records deleted, the status set back to RUNNING', async () => {
    const runId = await finishedRun();
    const client = world.system.client;
    const table = world.system.tables.audit;
    const all = await items(runId);
    const last = sealsOf(all).sort((a, b) => b.link.seq - a.link.seq)[0]!;
    for (const entry of last.link.entries)
      await client.send(new DeleteItemCommand({ TableName: table, Key: { runId: { S: runId }, sk: { S: entry.key } } }));
    await client.send(new DeleteItemCommand({ TableName: table, Key: { runId: { S: runId }, sk: last.sk } }));
    await reopen(runId);
    const verdict = await verify(runId);
    // The table alone looks whole; the anchors say otherwise.
    expect(chainBreaks(verdict)).toEqual([]);
    expect(verdict).toMatchObject({ status: 'RUNNING', intact: false, anchored: { seq: last.link.seq, ended: true } });
    expect(
      anchorBreaks(verdict)
        .map((b) => b.kind)
        .sort(),
    ).toEqual(['anchor-beyond-table', 'reopened']);
    const { code, out } = await cli(runId);
    expect(code).toBe(2);
    expect(out).toContain(`anchor-beyond-table: Seal ${last.link.seq} is anchored`);
    expect(out).toContain(`Rests on: anchor of seal ${last.link.seq} (the run’s end)`);
  });

  it('catches a forged tail on a reopened run: a record added and sealed onto the chain correctly', async () => {
    const runId = await finishedRun();
    const client = world.system.client;
    const table = world.system.tables.audit;
    const [sample] = (await items(runId)).filter((item) => item.record?.S);
    await client.send(new PutItemCommand({ TableName: table, Item: { ...sample!, sk: { S: '2099-01-01T00:00:00.000Z#forged' } } }));
    await new DynamoDbAuditStore({ client, tableName: table }).seal(runId);
    await reopen(runId);
    const verdict = await verify(runId);
    expect(chainBreaks(verdict)).toEqual([]);
    expect(
      anchorBreaks(verdict)
        .map((b) => b.kind)
        .sort(),
    ).toEqual(['reopened', 'sealed-after-end']);
    expect(verdict.intact).toBe(false);
  });

  it('catches a chain rewritten consistently while the run waits for an approval, before any archive exists', async () => {
    const { runId } = await startScripted('Look up ORD-104231 and email Jane.', [
      { toolCalls: [{ name: 'lookup_order', arguments: { orderId: 'ORD-104231' } }] },
      { toolCalls: [{ name: 'send_email', arguments: { to: 'jane@example.com', subject: 'Order', body: 'On its way.' } }] },
      { text: 'Done.' },
    ]);
    // Waiting, its lookup sealed and anchored: an untouched open run verifies clean.
    const open = await until(async () => {
      const verdict = await verify(runId);
      return verdict.status === 'WAITING_FOR_APPROVAL' && verdict.sealed >= 1 && verdict.anchored ? verdict : undefined;
    });
    expect(open).toMatchObject({ intact: true, archived: null, anchored: { ended: false } });
    // Rewritten while it waits: a record edited, every seal removed and made again over it.
    await rewriteConsistently(runId);
    expect(anchorBreaks(await verify(runId)).map((b) => b.kind)).toEqual(['anchor-mismatch']);
    // Approved and finished: the archive copies the rewritten chain, and the anchors still catch it.
    const pending = await pendingOf(runId);
    expect((await api('POST', `/approvals/${pending.approvalId}`, world.tokenOfRole('approver'), { decision: 'approve' })).status).toBe(
      200,
    );
    const ended = await until(async () => {
      const verdict = await verify(runId);
      return verdict.status === 'SUCCEEDED' && verdict.archived && verdict.anchored?.ended ? verdict : undefined;
    });
    expect(archiveBreaks(ended)).toEqual([]);
    expect(chainBreaks(ended)).toEqual([]);
    expect(anchorBreaks(ended).map((b) => b.kind)).toContain('anchor-mismatch');
    expect(ended.intact).toBe(false);
  });

  it('catches a record hidden from the audit search: its day index attribute removed', async () => {
    const runId = await finishedRun();
    const [record] = (await items(runId)).filter((item) => item.record?.S);
    await world.system.client.send(
      new UpdateItemCommand({
        TableName: world.system.tables.audit,
        Key: { runId: { S: runId }, sk: record!.sk! },
        UpdateExpression: 'REMOVE #day',
        ExpressionAttributeNames: { '#day': 'day' },
      }),
    );
    // Gone from the search by day, as the attack meant…
    const searched = (await api('GET', '/audit?since=1h', world.tokenOfRole('admin'))).body.records as AuditRecord[];
    expect(searched.filter((r) => r.runId === runId)).toHaveLength(4);
    // …and caught by verify.
    const verdict = await verify(runId);
    expect(chainBreaks(verdict).map((b) => `${b.kind}:${b.key}`)).toEqual([`index-mismatch:${record!.sk!.S}`]);
    expect(verdict.intact).toBe(false);
  });
});
