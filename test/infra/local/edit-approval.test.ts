import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '#shared/audit/index.ts';
import { useLocalServer } from '../../support/local-server.ts';
import { emailRunWaitingForApproval, succeededRun } from '../../support/approval-runs.ts';

// Edit, then approve, through npm start's API and the synthesized state machine (its
// TakeEditedArguments state): the approver's arguments are checked by the tool's schema, the
// approval is re-bound to them, the call runs once with them, the model is told, and the audit
// keeps both versions and who changed them.
const world = useLocalServer();
const owner = () => world.tokenOfRole('admin');
const approver = () => world.tokenOfRole('approver');

const startEmailRun = (subject: string) => emailRunWaitingForApproval(world, subject);
const endedRun = (runId: string) => succeededRun(world, runId);

describe('edit, then approve', () => {
  it('runs the call once with the approver’s arguments, tells the model, and audits both versions', async () => {
    const { runId, approvalId } = await startEmailRun('Shipping update');
    const edited = { to: 'john@example.com', subject: 'Shipping update (edited)', body: 'Your order has shipped.' };
    expect(await world.api('POST', `/approvals/${approvalId}`, approver(), { decision: 'approve', arguments: edited })).toMatchObject({
      status: 200,
      body: { status: 'APPROVED' },
    });
    await endedRun(runId);
    const mail = (await world.system.sentMail()).filter((m) => m.subject.startsWith('Shipping update'));
    expect(mail.map((m) => ({ to: m.destination.to, subject: m.subject }))).toEqual([
      { to: ['john@example.com'], subject: 'Shipping update (edited)' },
    ]);

    const records = (await world.api('GET', `/runs/${runId}/audit`, owner())).body.records as AuditRecord[];
    const decision = records.find((r) => r.status === 'approved');
    expect(decision).toMatchObject({ userId: 'pat', approvalId });
    expect(JSON.parse(decision?.edited?.from ?? '{}')).toMatchObject({ to: 'jane@example.com', subject: 'Shipping update' });
    expect(JSON.parse(decision?.edited?.to ?? '{}')).toMatchObject({ to: 'john@example.com', subject: 'Shipping update (edited)' });
    const executed = records.filter((r) => r.tool === 'send_email' && r.status === 'executed');
    expect(executed).toHaveLength(1);
    expect(executed[0]?.arguments).toMatchObject({ to: 'john@example.com' });

    // The model's next turn got the result with what ran.
    const snapshot = await world.system.deps.runs.load(runId);
    const toolMessage = snapshot?.messages.find((m) => m.role === 'tool');
    expect(toolMessage).toMatchObject({
      results: [{ result: { ok: true, editedByApprover: { arguments: { to: 'john@example.com', subject: 'Shipping update (edited)' } } } }],
    });
  });

  it('refuses arguments the tool’s schema refuses, and an edit with a denial; the call keeps waiting as asked', async () => {
    const { runId, approvalId } = await startEmailRun('Invalid edit');
    const bad = await world.api('POST', `/approvals/${approvalId}`, approver(), {
      decision: 'approve',
      arguments: { to: 'john@example.com', subject: 'x', body: 'y', bcc: 'everyone@example.com' },
    });
    expect(bad.status).toBe(400);
    expect((bad.body.error as { message: string }).message).toContain('The edited arguments are not valid for send_email');
    const denyEdit = await world.api('POST', `/approvals/${approvalId}`, approver(), {
      decision: 'deny',
      arguments: { to: 'john@example.com', subject: 'x', body: 'y' },
    });
    expect(denyEdit.status).toBe(400);
    expect((await world.api('GET', `/runs/${runId}`, owner())).body.status).toBe('WAITING_FOR_APPROVAL');
    // Approved as asked, it runs as asked.
    expect((await world.api('POST', `/approvals/${approvalId}`, approver(), { decision: 'approve' })).status).toBe(200);
    await endedRun(runId);
    expect((await world.system.sentMail()).filter((m) => m.subject === 'Invalid edit').map((m) => m.destination.to)).toEqual([
      ['jane@example.com'],
    ]);
  });
});
