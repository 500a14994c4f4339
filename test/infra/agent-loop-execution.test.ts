import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import aslValidator from 'asl-validator';
import { DynamoDbAuditStore } from '#shared/audit/index.ts';
import { startLocalLoop } from '../support/local-loop.ts';

type Loop = Awaited<ReturnType<typeof startLocalLoop>>;
let loop: Loop;
beforeAll(async () => {
  loop = await startLocalLoop({ approvalTimeoutMs: 1500 });
});
afterAll(async () => loop.stop());

/** States entered per iteration: each iteration starts at CallModel. */
const perIteration = (states: string[]) => {
  const out: string[][] = [];
  for (const s of states) {
    if (s === 'CallModel' || out.length === 0) out.push([s]);
    else out.at(-1)!.push(s);
  }
  return out;
};
const order = (orderId: string) => ({ name: 'lookup_order', arguments: { orderId } });

describe('the synthesized state machine, run locally', () => {
  it('is valid ASL', () => {
    const verdict = aslValidator(loop.definition);
    expect(verdict.errors).toEqual([]);
    expect(verdict.isValid).toBe(true);
  });

  it('ends a plain answer in 3 transitions', async () => {
    const run = await loop.run({ turns: [{ text: 'Hello.' }] });
    expect(run).toMatchObject({ status: 'SUCCEEDED', output: 'Hello.', iteration: 1 });
    expect(run.states).toEqual(['CallModel', 'Route', 'RunEnded']);
  });

  it.each([1, 2, 3])('runs %i tool calls in one iteration of 3 + k transitions', async (k) => {
    const calls = Array.from({ length: k }, (_, i) => order(`ORD-10423${i}`));
    const run = await loop.run({ turns: [{ toolCalls: calls }, { text: 'Done.' }], groups: ['user'] });
    expect(run).toMatchObject({ status: 'SUCCEEDED', output: 'Done.', iteration: 2 });
    const [first, second] = perIteration(run.states);
    expect(first).toEqual(['CallModel', 'Route', 'ExecuteTools', ...Array.from({ length: k }, () => 'InvokeTool')]);
    expect(first).toHaveLength(3 + k);
    expect(second).toEqual(['CallModel', 'Route', 'RunEnded']);
    const snapshot = await loop.runs.load(run.runId);
    const results = snapshot!.messages.find((m) => m.role === 'tool');
    expect(results).toMatchObject({ role: 'tool', results: calls.map(() => ({ result: { ok: true } })) });
    expect(snapshot!.calls.map((c) => c.status)).toEqual(calls.map(() => 'executed'));
  });

  it('feeds rejected calls back to the model without a Map item, and executes the rest', async () => {
    const run = await loop.run({
      turns: [
        {
          toolCalls: [
            order('ORD-104231'),
            { name: 'drop_tables', arguments: {} },
            order('nope'),
            { name: 'create_ticket', arguments: { title: 't', description: 'd', priority: 'low' } },
          ],
        },
        { text: 'ok' },
      ],
      groups: ['user'],
    });
    const [first] = perIteration(run.states);
    expect(first).toEqual(['CallModel', 'Route', 'ExecuteTools', 'InvokeTool']);
    const snapshot = await loop.runs.load(run.runId);
    const codes = snapshot!.calls.map((c) => [c.tool, c.status, c.code ?? '']);
    expect(codes).toEqual([
      ['lookup_order', 'executed', ''],
      ['drop_tables', 'rejected', 'UNKNOWN_TOOL'],
      ['lookup_order', 'rejected', 'VALIDATION_FAILED'],
      ['create_ticket', 'rejected', 'PERMISSION_DENIED'],
    ]);
    const fed = snapshot!.messages.find((m) => m.role === 'tool');
    expect(fed && 'results' in fed ? fed.results.map((r) => r.result.ok) : []).toEqual([true, false, false, false]);
  });

  it('stops a model that never stops at the iteration limit, with MAX_ITERATIONS', async () => {
    const run = await loop.run({
      turns: Array.from({ length: 10 }, () => ({ text: 'again', toolCalls: [order('ORD-104231')] })),
      maxIterations: 3,
      groups: ['user'],
    });
    expect(run).toMatchObject({ status: 'MAX_ITERATIONS', iteration: 3, output: 'again' });
    expect(loop.events).toContain('runEnded:MAX_ITERATIONS:3');
    expect(run.states.at(-1)).toBe('RunEnded');
  });

  it('hands a failing tool back as a structured result, and the run goes on', async () => {
    const run = await loop.run({
      turns: [{ toolCalls: [{ name: 'read_document', arguments: { path: 'no/such/file.md' } }] }, { text: 'It does not exist.' }],
      groups: ['user'],
    });
    expect(run.status).toBe('SUCCEEDED');
    const snapshot = await loop.runs.load(run.runId);
    expect(snapshot!.calls[0]).toMatchObject({ status: 'failed', code: 'TOOL_FAILED' });
    // The tool said "no such document" (S3 answered 404, which it does only to a role that may list
    // the bucket; without s3:ListBucket it answers 403 and the tool would fail as INTERNAL).
    expect(JSON.stringify(snapshot!.messages)).toContain('No document at no/such/file.md.');
    expect(loop.iam.denials()).toEqual([]);
  });

  it('keeps the state small however long the conversation grows (over 256 KB of conversation)', async () => {
    const read = { name: 'read_document', arguments: { path: 'big.txt' } };
    await loop.documents.put('big.txt', 'z'.repeat(40_000));
    const run = await loop.run({
      turns: [...Array.from({ length: 8 }, () => ({ toolCalls: [read] })), { text: 'Read it all.' }],
      groups: ['user'],
      maxIterations: 20,
    });
    expect(run.status).toBe('SUCCEEDED');
    const snapshot = await loop.runs.load(run.runId);
    expect(Buffer.byteLength(JSON.stringify(snapshot!.messages))).toBeGreaterThan(256 * 1024);
    // Successes come back as receipts: the documents never travel through the state.
    expect(run.largestStateBytes).toBeLessThan(4 * 1024);
  });

  describe('approvals', () => {
    const email = { name: 'send_email', arguments: { to: 'jane@example.com', subject: 'Hi', body: 'Hello Jane.' } };
    const whenWaiting = async () => {
      for (let i = 0; i < 100 && loop.waitingApprovals().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      return loop.waitingApprovals()[0] as string;
    };

    it('runs an approved destructive call once, with the approval bound to it', async () => {
      const running = loop.run({ turns: [{ toolCalls: [email] }, { text: 'Sent.' }] });
      const approvalId = await whenWaiting();
      await loop.decide(approvalId, 'approve');
      const run = await running;
      expect(run.status).toBe('SUCCEEDED');
      expect(perIteration(run.states)[0]).toEqual([
        'CallModel',
        'Route',
        'ApproveTools',
        'RequestApproval',
        'Decided',
        'InvokeApproved',
        'ExecuteTools',
      ]);
      const snapshot = await loop.runs.load(run.runId);
      expect(snapshot!.calls[0]).toMatchObject({ tool: 'send_email', status: 'executed' });
      const audit = await new DynamoDbAuditStore({ client: loop.world.db.client, tableName: loop.world.guardTables.audit }).listByRun(
        run.runId,
      );
      expect(audit).toEqual([expect.objectContaining({ tool: 'send_email', status: 'executed', approvalId })]);
    });

    it('hands a denial back as APPROVAL_DENIED and never runs the tool', async () => {
      const running = loop.run({ turns: [{ toolCalls: [email] }, { text: 'Not sent.' }] });
      await loop.decide(await whenWaiting(), 'deny');
      const run = await running;
      expect(perIteration(run.states)[0]).toContain('ApprovalDenied');
      expect((await loop.runs.load(run.runId))!.calls[0]).toMatchObject({ status: 'denied', code: 'APPROVAL_DENIED' });
    });

    it('ends an undecided call APPROVAL_EXPIRED after the timeout', async () => {
      const run = await loop.run({ turns: [{ toolCalls: [email] }, { text: 'Waiting.' }] });
      expect(perIteration(run.states)[0]).toContain('ApprovalExpired');
      expect((await loop.runs.load(run.runId))!.calls[0]).toMatchObject({ status: 'expired', code: 'APPROVAL_EXPIRED' });
      expect(loop.events).toContain('approvalExpired:send_email');
      expect(await loop.approvals.get(`${run.runId}.c1-1`)).toMatchObject({ status: 'EXPIRED' });
    });
  });
});
