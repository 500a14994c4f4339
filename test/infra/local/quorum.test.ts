import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '#shared/audit/index.ts';
import { toolCatalog } from '#functions/tools/catalog.ts';
import { startDemoSystem, type DemoSystem } from '../../../infra/local/demo-app.ts';
import { createApiServer, listen } from '../../../infra/local/http-server.ts';
import { loadLocalUsers } from '../../../infra/local/local-users.ts';
import { until } from '../../support/local-server.ts';
import { slackClick } from '../../support/slack-click.ts';

// Approval by more than one person, through npm start's API and the synthesized state machine:
// send_email declared with a quorum of 2 distinct approvers.
const users = [
  ...loadLocalUsers(),
  { token: 'local-approver-2-token', userId: 'quinn', groups: ['approver'] },
  { token: 'local-approver-3-token', userId: 'rae', groups: ['approver'] },
  // Plain users: not approvers, so never part of a quorum, however an approval reaches them.
  { token: 'local-dan-token', userId: 'dan', groups: ['user'] },
  { token: 'local-erin-token', userId: 'erin', groups: ['user'] },
  // Requesters of their own, so each test stays inside send_email's per-user burst of 3.
  { token: 'local-req-api-token', userId: 'req-api', groups: ['admin'] },
  { token: 'local-req-slack-token', userId: 'req-slack', groups: ['admin'] },
];
const tools = toolCatalog.tools.map((tool) => (tool.name === 'send_email' ? { ...tool, quorum: 2 } : tool));
let system: DemoSystem;
let server: Server;
let base = '';
beforeAll(async () => {
  system = await startDemoSystem({ users, tools });
  server = createApiServer(system.deps, users);
  base = `http://127.0.0.1:${await listen(server, 0)}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await system.stop();
});

const token = (userId: string) => users.find((u) => u.userId === userId)?.token as string;
const api = async (method: string, path: string, as: string, body?: unknown) => {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token(as)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const email = { name: 'send_email', arguments: { to: 'jane@example.com', subject: 'Quorum', body: 'Two said yes.' } };
const startEmailRun = async (as = 'adam') =>
  (
    await api('POST', '/runs', as, {
      input: 'Email Jane',
      model: { provider: 'scripted', turns: [{ toolCalls: [email] }, { text: 'Sent.' }] },
    })
  ).body.runId as string;
const pendingOf = (runId: string) =>
  until(async () => {
    const list = (await api('GET', '/approvals?status=pending', 'pat')).body.approvals as Array<Record<string, unknown>>;
    return list.find((a) => a.runId === runId);
  }, 15_000);
const ended = (runId: string) =>
  until(async () => {
    const run = (await api('GET', `/runs/${runId}`, 'adam')).body;
    return run.status === 'SUCCEEDED' ? run : undefined;
  }, 15_000);
const sends = async (runId: string) =>
  ((await api('GET', `/runs/${runId}/audit`, 'adam')).body.records as AuditRecord[]).filter(
    (r) => r.tool === 'send_email' && r.status === 'executed',
  );

describe('a quorum of approvers', () => {
  it('keeps the call waiting after one yes, runs it once after the second, and audits each vote', async () => {
    const runId = await startEmailRun();
    const pending = await pendingOf(runId);
    expect(pending).toMatchObject({ tool: 'send_email', quorum: 2, approvedBy: [] });
    const approvalId = pending.approvalId as string;
    expect(await api('POST', `/approvals/${approvalId}`, 'pat', { decision: 'approve' })).toMatchObject({
      status: 200,
      body: { status: 'PENDING', approvals: 1, quorum: 2 },
    });
    expect((await api('POST', `/approvals/${approvalId}`, 'pat', { decision: 'approve' })).status).toBe(409);
    expect((await api('GET', `/runs/${runId}`, 'adam')).body.status).toBe('WAITING_FOR_APPROVAL');
    expect(await pendingOf(runId)).toMatchObject({ approvedBy: ['pat'] });
    expect(await api('POST', `/approvals/${approvalId}`, 'quinn', { decision: 'approve' })).toMatchObject({
      status: 200,
      body: { status: 'APPROVED' },
    });
    await ended(runId);
    expect(await sends(runId)).toHaveLength(1);
    const records = (await api('GET', `/runs/${runId}/audit`, 'adam')).body.records as AuditRecord[];
    expect(
      records
        .filter((r) => r.status === 'approved')
        .map((r) => r.userId)
        .sort(),
    ).toEqual(['pat', 'quinn']);
  });

  it('runs the call exactly once when three approvers say yes at the same moment', async () => {
    const runId = await startEmailRun();
    const approvalId = (await pendingOf(runId)).approvalId as string;
    const answers = await Promise.all(
      ['pat', 'quinn', 'rae'].map((who) => api('POST', `/approvals/${approvalId}`, who, { decision: 'approve' })),
    );
    expect(answers.filter((a) => a.body.status === 'APPROVED').length).toBeGreaterThanOrEqual(1);
    await ended(runId);
    expect(await sends(runId)).toHaveLength(1);
  });
});

const vote = (via: 'api' | 'slack', as: string, approvalId: string) =>
  via === 'api'
    ? api('POST', `/approvals/${approvalId}`, as, { decision: 'approve' })
    : slackClick(base, `U${as.toUpperCase()}`, approvalId);
const refusals = async (runId: string) =>
  ((await api('GET', `/runs/${runId}/audit`, 'adam')).body.records as AuditRecord[])
    .filter((r) => r.status === 'decision-refused')
    .map((r) => ({ userId: r.userId, refused: (JSON.parse(r.result) as { refused: string }).refused }));

describe('who counts toward a quorum (delegation)', () => {
  for (const via of ['api', 'slack'] as const) {
    it(`refuses a quorum met by no approver: handed on twice, voted by two non-approvers (${via})`, async () => {
      const runId = await startEmailRun(`req-${via}`);
      const approvalId = (await pendingOf(runId)).approvalId as string;
      expect(await api('POST', `/approvals/${approvalId}/delegate`, 'quinn', { to: 'dan' })).toMatchObject({
        status: 400,
        body: { error: { message: expect.stringContaining('cannot be handed on') } },
      });
      expect((await vote(via, 'dan', approvalId)).status).toBe(403);
      expect((await api('POST', `/approvals/${approvalId}/delegate`, 'dan', { to: 'erin' })).status).toBe(403);
      expect((await vote(via, 'erin', approvalId)).status).toBe(403);
      const still = await pendingOf(runId);
      expect(still).toMatchObject({ approvedBy: [] });
      expect(still).not.toHaveProperty('delegatedTo');
      expect(await refusals(runId)).toEqual(
        expect.arrayContaining([
          { userId: 'quinn', refused: 'delegation-needs-one-approver' },
          { userId: 'dan', refused: 'not-an-approver' },
          { userId: 'erin', refused: 'not-an-approver' },
        ]),
      );
      // Nothing ran, and the call still waits for two approvers in person.
      expect(await sends(runId)).toHaveLength(0);
      expect((await api('POST', `/approvals/${approvalId}`, 'adam', { decision: 'deny' })).status).toBe(403);
      expect((await api('POST', `/approvals/${approvalId}`, 'rae', { decision: 'deny' })).status).toBe(200);
    });

    it(`refuses a quorum met by one approver and their delegate (${via})`, async () => {
      const runId = await startEmailRun(`req-${via}`);
      const approvalId = (await pendingOf(runId)).approvalId as string;
      expect((await vote(via, 'rae', approvalId)).status).toBe(200);
      expect((await api('POST', `/approvals/${approvalId}/delegate`, 'rae', { to: 'dan' })).status).toBe(400);
      expect((await vote(via, 'dan', approvalId)).status).toBe(403);
      expect(await pendingOf(runId)).toMatchObject({ approvedBy: ['rae'] });
      expect(await refusals(runId)).toEqual(
        expect.arrayContaining([
          { userId: 'rae', refused: 'delegation-needs-one-approver' },
          { userId: 'dan', refused: 'not-an-approver' },
        ]),
      );
      expect(await sends(runId)).toHaveLength(0);
      expect((await api('POST', `/approvals/${approvalId}`, 'pat', { decision: 'deny' })).status).toBe(200);
    });
  }
});
