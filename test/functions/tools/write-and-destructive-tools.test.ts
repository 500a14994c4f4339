import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoWorld, type DemoWorld } from '../../support/demo-harness.ts';
import { RefundStore } from '../../../functions/tools/refund-order/refund-store.ts';

let world: DemoWorld;
beforeAll(async () => {
  world = await startDemoWorld();
});
afterAll(async () => world.stop());

const count = async (table: string) => (await world.db.client.send(new ScanCommand({ TableName: table, Select: 'COUNT' }))).Count ?? 0;
const operator = { groups: ['operator'], userId: 'olga' };
const admin = { groups: ['admin'], userId: 'adam' };

describe('create_ticket', () => {
  const ticket = { title: 'Printer on fire', description: 'Third floor.\nSmoke visible.', priority: 'high' };

  it('creates a ticket for an operator, once per call even when retried', async () => {
    const first = await world.tools.create_ticket!.call(ticket, { ...operator, runId: 'run-t', callId: 'ct-1' });
    expect(first).toMatchObject({ ok: true, data: { ticketId: expect.stringMatching(/^TCK-[0-9A-F]{10}$/) } });
    const ticketId = (first as { data: { ticketId: string } }).data.ticketId;
    const item = await world.db.client.send(
      new GetItemCommand({ TableName: world.dataTables.tickets, Key: { ticketId: { S: ticketId } } }),
    );
    expect(JSON.parse(item.Item?.ticket?.S ?? '{}')).toMatchObject({ ...ticket, createdBy: 'olga', runId: 'run-t' });
    expect(await world.tools.create_ticket!.call(ticket, { ...operator, runId: 'run-t', callId: 'ct-1' })).toEqual(first);
    expect(await count(world.dataTables.tickets)).toBe(1);
  });

  it('is not available to a user, and rejects bad priorities and extra fields', async () => {
    expect(await world.tools.create_ticket!.call(ticket, { groups: ['user'] })).toMatchObject({
      ok: false,
      error: { code: 'PERMISSION_DENIED' },
    });
    expect(await world.tools.create_ticket!.call({ ...ticket, priority: 'P0' }, operator)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(await world.tools.create_ticket!.call({ ...ticket, assignee: 'root' }, operator)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(await count(world.dataTables.tickets)).toBe(1);
  });
});

describe('destructive tools', () => {
  const email = { to: 'jane@example.com', subject: 'Hello', body: 'Hi Jane,\nsee you.' };

  it('never run without an approval, even for an admin', async () => {
    expect(await world.tools.send_email!.call(email, admin)).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
    expect(await world.tools.publish_announcement!.call({ title: 'T', body: 'B' }, admin)).toMatchObject({
      ok: false,
      error: { code: 'PERMISSION_DENIED' },
    });
    expect(await world.tools.delete_document!.call({ path: 'policies/expense-policy.md' }, admin)).toMatchObject({
      ok: false,
      error: { code: 'PERMISSION_DENIED' },
    });
    expect(await world.sentMail()).toEqual([]);
    expect(await world.documents.exists('policies/expense-policy.md')).toBe(true);
  });

  it('run once with an approval bound to the exact call by another approver', async () => {
    const approvalId = await world.approve({
      runId: 'run-e',
      callId: 'e-1',
      tool: 'send_email',
      args: email,
      requestedBy: 'adam',
      decidedBy: 'pat',
    });
    const options = { ...admin, runId: 'run-e', callId: 'e-1', approvalId };
    const results = await Promise.all(Array.from({ length: 6 }, () => world.tools.send_email!.call(email, options)));
    // Concurrent duplicates: one runs, the others replay it or are told the same call is still running.
    expect(results.some((r) => r.ok)).toBe(true);
    for (const r of results)
      if (!r.ok) expect(r.error).toMatchObject({ code: 'INTERNAL', retryable: true, message: expect.stringContaining('still running') });
    const replayed = await world.tools.send_email!.call(email, options);
    expect(replayed).toMatchObject({ ok: true, data: { messageId: expect.any(String) } });
    // Sent once, through SES v2 (the deployed mailer), from the verified sender: SES's message id is what the model sees.
    const sent = await world.sentMail();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      messageId: (replayed as { data: { messageId: string } }).data.messageId,
      from: 'agent@example.com',
      destination: { to: ['jane@example.com'] },
      subject: 'Hello',
      body: { text: 'Hi Jane,\nsee you.' },
    });
  });

  it('refuse an approval spent on other arguments, another call, a self-approval or a non-approver', async () => {
    const args = { path: 'policies/expense-policy.md' };
    const base = { runId: 'run-d', callId: 'd-1', tool: 'delete_document', args, requestedBy: 'adam', decidedBy: 'pat' };
    const cases = [
      { approval: { ...base, args: { path: 'policies/security-policy.md' } }, call: { callId: 'd-1' } },
      { approval: base, call: { callId: 'd-2' } },
      { approval: { ...base, decidedBy: 'adam' }, call: { callId: 'd-1' } },
      { approval: { ...base, deciderGroups: ['admin'] }, call: { callId: 'd-1' } },
      { approval: { ...base, status: 'PENDING' }, call: { callId: 'd-1' } },
    ];
    for (const { approval, call } of cases) {
      const approvalId = await world.approve(approval);
      expect(await world.tools.delete_document!.call(args, { ...admin, runId: 'run-d', ...call, approvalId })).toMatchObject({
        ok: false,
        error: { code: 'PERMISSION_DENIED' },
      });
    }
    expect(await world.documents.exists('policies/expense-policy.md')).toBe(true);
  });

  it('report a denied or expired approval with its own code', async () => {
    const ann = { title: 'Offsite', body: 'Friday.' };
    const denied = await world.approve({
      runId: 'run-a',
      callId: 'a-1',
      tool: 'publish_announcement',
      args: ann,
      requestedBy: 'adam',
      decidedBy: 'pat',
      status: 'DENIED',
    });
    const expired = await world.approve({
      runId: 'run-a',
      callId: 'a-2',
      tool: 'publish_announcement',
      args: ann,
      requestedBy: 'adam',
      decidedBy: 'pat',
      status: 'EXPIRED',
    });
    expect(
      await world.tools.publish_announcement!.call(ann, { ...admin, runId: 'run-a', callId: 'a-1', approvalId: denied }),
    ).toMatchObject({ ok: false, error: { code: 'APPROVAL_DENIED' } });
    expect(
      await world.tools.publish_announcement!.call(ann, { ...admin, runId: 'run-a', callId: 'a-2', approvalId: expired }),
    ).toMatchObject({ ok: false, error: { code: 'APPROVAL_EXPIRED' } });
    expect(await count(world.dataTables.announcements)).toBe(0);
  });

  it('delete a document and publish an announcement when approved', async () => {
    const args = { path: 'drafts-q4-announcement.md' };
    const approvalId = await world.approve({
      runId: 'run-x',
      callId: 'x-1',
      tool: 'delete_document',
      args,
      requestedBy: 'adam',
      decidedBy: 'pat',
    });
    expect(await world.tools.delete_document!.call(args, { ...admin, runId: 'run-x', callId: 'x-1', approvalId })).toEqual({
      ok: true,
      data: { deleted: 'drafts-q4-announcement.md' },
    });
    expect(await world.documents.exists('drafts-q4-announcement.md')).toBe(false);
    const ann = { title: 'Q4 all-hands', body: '12 December, 15:00.' };
    const annApproval = await world.approve({
      runId: 'run-x',
      callId: 'x-2',
      tool: 'publish_announcement',
      args: ann,
      requestedBy: 'adam',
      decidedBy: 'pat',
    });
    expect(
      await world.tools.publish_announcement!.call(ann, { ...admin, runId: 'run-x', callId: 'x-2', approvalId: annApproval }),
    ).toMatchObject({ ok: true, data: { announcementId: expect.stringMatching(/^ANN-/) } });
  });

  it('are refused to an operator before any approval is looked at', async () => {
    expect(await world.tools.send_email!.call(email, operator)).toMatchObject({
      ok: false,
      error: { code: 'PERMISSION_DENIED', message: expect.stringContaining('not available to role(s) operator') },
    });
  });

  it('reject header injection in email fields', async () => {
    expect(await world.tools.send_email!.call({ ...email, to: 'jane@example.com\nBcc: all@example.com' }, admin)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(await world.tools.send_email!.call({ ...email, subject: 'Hi\r\nBcc: x@y.z' }, admin)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
  });
});

describe('refund_order', () => {
  const refundOf = async (callId: string, amountCents: number) => {
    const args = { orderId: 'ORD-104231', amountCents, reason: 'Arrived late.' };
    const approvalId = await world.approve({ runId: 'run-r', callId, tool: 'refund_order', args, requestedBy: 'adam', decidedBy: 'pat' });
    return world.tools.refund_order!.call(args, { ...admin, runId: 'run-r', callId, approvalId });
  };
  const refundedCents = async (orderId: string) =>
    (await world.db.client.send(new GetItemCommand({ TableName: world.dataTables.orders, Key: { orderId: { S: orderId } } }))).Item
      ?.refundedCents?.N;

  it('refunds an approved amount once, even when the call is retried, and never more than the order came to', async () => {
    // ORD-104231 came to 79.00 EUR.
    const first = await refundOf('r-1', 5000);
    expect(first).toEqual({
      ok: true,
      data: {
        refundId: expect.stringMatching(/^RFD-[0-9A-F]{10}$/),
        orderId: 'ORD-104231',
        refunded: '50.00 EUR',
        refundedSoFar: '50.00 EUR',
      },
    });
    expect(await refundOf('r-1', 5000)).toEqual(first);
    expect(await refundedCents('ORD-104231')).toBe('5000');
    expect(await refundOf('r-2', 3000)).toMatchObject({
      ok: false,
      error: { code: 'TOOL_FAILED', message: 'Only 29.00 EUR of ORD-104231 is left to refund.' },
    });
  });

  it('keeps the total within the order when two refunds of it race, and adds a refund id once', async () => {
    const store = new RefundStore(world.db.client, world.dataTables.orders);
    const refund = (refundId: string, amountCents: number) => ({
      refundId,
      amountCents,
      reason: 'Late.',
      by: 'adam',
      at: '2026-12-06T10:00:00Z',
    });
    // ORD-104232 came to 271.99 EUR: two refunds of 200 EUR at once, one of them is refused.
    const outcomes = await Promise.all([
      store.refund('ORD-104232', refund('RFD-A', 20_000)),
      store.refund('ORD-104232', refund('RFD-B', 20_000)),
    ]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['refunded', 'too-much']);
    expect(await refundedCents('ORD-104232')).toBe('20000');
    // The same refund id again (a repeat that got past idempotency) answers as the first, and adds nothing.
    const winner = outcomes[0]?.kind === 'refunded' ? 'RFD-A' : 'RFD-B';
    expect(await store.refund('ORD-104232', refund(winner, 20_000))).toEqual({ kind: 'refunded', refundedCents: 20_000, currency: 'EUR' });
    expect(await store.refund('ORD-104232', refund('RFD-C', 7199))).toEqual({ kind: 'refunded', refundedCents: 27_199, currency: 'EUR' });
    expect(await store.refund('ORD-999999', refund('RFD-D', 1))).toEqual({ kind: 'no-order' });
  });
  it('never runs without an approval', async () => {
    expect(await world.tools.refund_order!.call({ orderId: 'ORD-104233', amountCents: 100, reason: 'x' }, admin)).toMatchObject({
      ok: false,
      error: { code: 'PERMISSION_DENIED' },
    });
  });
});
