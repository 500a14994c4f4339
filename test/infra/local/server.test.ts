import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startingRun } from '#shared/runs/index.ts';
import { createApiServer, listen } from '../../../infra/local/http-server.ts';
import { loadLocalUsers } from '../../../infra/local/local-users.ts';
import { startDemoSystem, type DemoSystem } from '../../../infra/local/demo-app.ts';

// The default users plus one who is both admin and approver: still not allowed to approve their own call.
const users = [...loadLocalUsers(), { token: 'local-admin-approver-token', userId: 'ada', groups: ['admin', 'approver'] }];
const token = {
  user: 'local-user-token',
  operator: 'local-operator-token',
  admin: 'local-admin-token',
  approver: 'local-approver-token',
  adminApprover: 'local-admin-approver-token',
} as const;

let system: DemoSystem;
let server: Server;
let base: string;

beforeAll(async () => {
  // The per-user run limit is proven in routes.test.ts; here it would only ration the runs the tests make.
  system = await startDemoSystem({ users, approvalTimeoutMs: 1500, runLimit: { capacity: 1000, refillPerMinute: 1000 } });
  server = createApiServer(system.deps, users, { sentMail: system.sentMail, metrics: system.metrics });
  base = `http://127.0.0.1:${await listen(server, 0)}`;
});
afterAll(async () => {
  server.close();
  await system.stop();
});

const api = async (method: string, path: string, as?: keyof typeof token, body?: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(as ? { authorization: `Bearer ${token[as]}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const startRun = async (as: keyof typeof token, body: unknown) => (await api('POST', '/runs', as, body)).body.runId as string;
const until = async <T>(probe: () => Promise<T | undefined>, timeoutMs = 8000, pauseMs = 25): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, pauseMs));
  }
};
const finished = (runId: string, as: keyof typeof token = 'admin') =>
  until(async () => {
    const { body } = await api('GET', `/runs/${runId}`, as);
    return ['SUCCEEDED', 'MAX_ITERATIONS', 'FAILED'].includes(String(body.status)) ? body : undefined;
  });
const pendingFor = (runId: string) =>
  until(async () =>
    (
      (await api('GET', '/approvals?status=pending', 'approver')).body.approvals as Array<{
        approvalId: string;
        runId: string;
        context: unknown;
      }>
    ).find((a) => a.runId === runId),
  );
const email = { name: 'send_email', arguments: { to: 'jane@example.com', subject: 'Hello', body: 'Hi Jane.' } };

describe('npm start: the HTTP API on one machine', () => {
  it("serves the console's time series for the ranges it offers, and refuses any other", async () => {
    const { status, body } = await api('GET', '/local/metrics?range=24h');
    expect(status).toBe(200);
    expect(body).toMatchObject({ range: '24h', stepMs: 30 * 60_000 });
    expect(body.times).toHaveLength(48);
    expect(await api('GET', '/local/metrics?range=2y')).toEqual({
      status: 400,
      body: { error: { code: 'BAD_REQUEST', message: 'range must be one of 15m, 1h, 24h, 7d.' } },
    });
  });

  it('answers health, and 401 without a token, 404 for unknown routes', async () => {
    expect(await api('GET', '/health')).toEqual({ status: 200, body: { status: 'ok' } });
    expect((await api('GET', '/tools')).status).toBe(401);
    expect((await api('GET', '/tools', undefined, undefined, { authorization: 'Bearer forged-token' })).status).toBe(401);
    expect((await api('GET', '/nothing-here', 'user')).status).toBe(404);
    expect((await api('POST', '/runs', 'user', '{"input":')).status).toBe(400);
  });

  it('runs the demo model: a read call executed, then an answer, with state transitions and durations', async () => {
    const runId = await startRun('user', { input: 'How do I reset my password?' });
    const run = await finished(runId, 'user');
    expect(run).toMatchObject({
      status: 'SUCCEEDED',
      iterations: 2,
      stateTransitions: 7,
      calls: [{ tool: 'search_knowledge_base', status: 'executed', code: null, durationMs: expect.any(Number) }],
    });
    expect(String(run.output)).toContain('Resetting your password');
    expect((await api('GET', `/runs/${runId}`, 'operator')).status).toBe(404);
  });

  it('never changes the answer about a run once it says the run has ended (12 runs)', async () => {
    const runIds = await Promise.all(Array.from({ length: 12 }, () => startRun('user', { input: 'How do I reset my password?' })));
    for (const runId of runIds) {
      // Polled back to back, to catch the moment the run record says it ended.
      const first = await until(
        async () => {
          const { body } = await api('GET', `/runs/${runId}`, 'user');
          return body.status === 'SUCCEEDED' ? body : undefined;
        },
        8000,
        0,
      );
      await system.executions.get(runId)?.finished;
      expect((await api('GET', `/runs/${runId}`, 'user')).body).toEqual(first);
      expect(first.stateTransitions).toBe(7);
    }
  });

  it('lets an operator write but not a user, and refuses unknown tools and invalid arguments', async () => {
    const ticket = { name: 'create_ticket', arguments: { title: 'Broken', description: 'It broke.', priority: 'low' } };
    const byOperator = await finished(
      await startRun('operator', { input: 't', model: { provider: 'scripted', turns: [{ toolCalls: [ticket] }, { text: 'done' }] } }),
      'operator',
    );
    expect(byOperator.calls).toEqual([expect.objectContaining({ tool: 'create_ticket', status: 'executed' })]);
    const byUser = await finished(
      await startRun('user', {
        input: 't',
        model: {
          provider: 'scripted',
          turns: [
            { toolCalls: [ticket, { name: 'rm_rf', arguments: {} }, { name: 'lookup_order', arguments: { orderId: "1' OR 1=1" } }] },
            { text: 'done' },
          ],
        },
      }),
      'user',
    );
    expect((byUser.calls as Array<{ code: string }>).map((c) => c.code)).toEqual([
      'PERMISSION_DENIED',
      'UNKNOWN_TOOL',
      'VALIDATION_FAILED',
    ]);
  });

  it('parks a destructive call until an approver approves it over the API, then runs it once', async () => {
    const mailBefore = ((await api('GET', '/local/mail')).body.mail as unknown[]).length;
    const runId = await startRun('admin', {
      input: 'email Jane the order status',
      model: {
        provider: 'scripted',
        turns: [
          { toolCalls: [{ name: 'lookup_order', arguments: { orderId: 'ORD-104231' } }] },
          { text: 'Emailing Jane now.', toolCalls: [email] },
          { text: 'Sent.' },
        ],
      },
    });
    const pending = await pendingFor(runId);
    // What the approver judges by: the request, what the model said when it asked, the run's earlier calls.
    expect(pending).toMatchObject({
      tool: 'send_email',
      requestedBy: 'adam',
      context: {
        via: 'run',
        request: 'email Jane the order status',
        modelSaid: 'Emailing Jane now.',
        earlierCalls: [{ tool: 'lookup_order', status: 'executed', code: null }],
      },
    });
    expect((await api('GET', `/runs/${runId}`, 'admin')).body).toMatchObject({
      status: 'WAITING_FOR_APPROVAL',
      calls: [
        { tool: 'lookup_order', status: 'executed' },
        { tool: 'send_email', status: 'awaiting_approval' },
      ],
    });
    expect((await api('POST', `/approvals/${pending.approvalId}`, 'admin', { decision: 'approve' })).status).toBe(403);
    expect((await api('POST', `/approvals/${pending.approvalId}`, 'approver', { decision: 'approve' })).status).toBe(200);
    // The same answer again is the approver's retry: answered as decided, nothing more happens; another answer is refused.
    expect((await api('POST', `/approvals/${pending.approvalId}`, 'approver', { decision: 'approve' })).status).toBe(200);
    expect((await api('POST', `/approvals/${pending.approvalId}`, 'approver', { decision: 'deny' })).status).toBe(409);
    const run = await finished(runId);
    expect(run).toMatchObject({ status: 'SUCCEEDED', calls: [{ tool: 'lookup_order' }, { tool: 'send_email', status: 'executed' }] });
    const audit = (await api('GET', `/runs/${runId}/audit`, 'admin')).body.records as Array<{ status: string; userId: string }>;
    expect(audit.map((r) => `${r.status}:${r.userId}`).sort()).toEqual([
      'approved:pat',
      // The requester's own try at approving it, refused and on the record.
      'decision-refused:adam',
      'executed:adam',
      'executed:adam',
    ]);
    // Sent once, through the embedded SES: /local/mail (and the console) show it, newest first.
    const mail = (await api('GET', '/local/mail')).body.mail as Array<Record<string, unknown>>;
    expect(mail).toHaveLength(mailBefore + 1);
    expect(mail[0]).toMatchObject({
      from: 'agent@example.com',
      to: ['jane@example.com'],
      subject: 'Hello',
      text: 'Hi Jane.',
      messageId: expect.any(String),
      sentAt: expect.stringMatching(/^\d{4}-/),
    });
  });

  it('refuses an approver the approval of a call of their own run (403), and leaves it pending', async () => {
    const runId = await startRun('adminApprover', {
      input: 'x',
      model: { provider: 'scripted', turns: [{ toolCalls: [email] }, { text: 'ok' }] },
    });
    const { approvalId } = await pendingFor(runId);
    expect(await api('POST', `/approvals/${approvalId}`, 'adminApprover', { decision: 'approve' })).toMatchObject({
      status: 403,
      body: { error: { code: 'OWN_CALL' } },
    });
    expect((await api('POST', `/approvals/${approvalId}`, 'approver', { decision: 'deny' })).status).toBe(200);
    expect((await finished(runId)).calls).toEqual([expect.objectContaining({ status: 'denied' })]);
  });

  it('hands a denial back as APPROVAL_DENIED, and no decision in time as APPROVAL_EXPIRED', async () => {
    const denied = await startRun('admin', {
      input: 'x',
      model: { provider: 'scripted', turns: [{ toolCalls: [email] }, { text: 'ok' }] },
    });
    await api('POST', `/approvals/${(await pendingFor(denied)).approvalId}`, 'approver', { decision: 'deny', reason: 'not now' });
    expect((await finished(denied)).calls).toEqual([expect.objectContaining({ status: 'denied', code: 'APPROVAL_DENIED' })]);
    const expired = await startRun('admin', {
      input: 'x',
      model: { provider: 'scripted', turns: [{ toolCalls: [email] }, { text: 'ok' }] },
    });
    const { approvalId } = await pendingFor(expired);
    expect((await finished(expired)).calls).toEqual([expect.objectContaining({ status: 'expired', code: 'APPROVAL_EXPIRED' })]);
    // The call never reached its tool; the audit trail still has exactly one record of it.
    const expiredAudit = (await api('GET', `/runs/${expired}/audit`, 'admin')).body.records as Array<Record<string, unknown>>;
    expect(expiredAudit).toEqual([
      expect.objectContaining({ callId: 'c1-1', status: 'expired', code: 'APPROVAL_EXPIRED', tool: 'send_email', approvalId }),
    ]);
    // Deciding it afterwards says it expired, not that somebody decided it.
    expect(await api('POST', `/approvals/${approvalId}`, 'approver', { decision: 'approve' })).toMatchObject({
      status: 409,
      body: { error: { code: 'EXPIRED', message: 'This approval has expired.' } },
    });
  });

  it('leaves exactly one audit record per attempt, refusals at screening included', async () => {
    const calls = [
      { name: 'delete_everything', arguments: {} },
      { name: 'lookup_order', arguments: { orderId: "ORD-1' OR 1=1" } },
      { name: 'create_ticket', arguments: { title: 'Broken', description: 'It broke.', priority: 'low' } },
      { name: 'lookup_order', arguments: { orderId: 'ORD-104233' } },
    ];
    const runId = await startRun('user', { input: 'x', model: { provider: 'scripted', turns: [{ toolCalls: calls }, { text: 'done' }] } });
    expect(await finished(runId, 'user')).toMatchObject({ status: 'SUCCEEDED' });
    const records = (await api('GET', `/runs/${runId}/audit`, 'user')).body.records as Array<{
      callId: string;
      status: string;
      code?: string;
      userId: string;
    }>;
    expect(records.map((r) => [r.callId, r.status, r.code ?? null]).sort()).toEqual([
      ['c1-1', 'rejected', 'UNKNOWN_TOOL'],
      ['c1-2', 'rejected', 'VALIDATION_FAILED'],
      ['c1-3', 'rejected', 'PERMISSION_DENIED'],
      ['c1-4', 'executed', null],
    ]);
    expect(new Set(records.map((r) => r.userId))).toEqual(new Set(['uma']));
  });

  it('answers a body over the limit with the JSON 413 (not a reset connection)', async () => {
    const response = await api('POST', '/runs', 'user', JSON.stringify({ input: 'x'.repeat(1024 * 1024) }));
    expect(response).toEqual({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE', message: 'The body is larger than 256 KB.' } } });
  });

  it('answers only for its own host names, and refuses state-changing requests from other origins', async () => {
    const port = new URL(base).port;
    const raw = (headers: Record<string, string>, method = 'GET', path = '/local/users') =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end(method === 'POST' ? '{"input":"hi"}' : undefined);
      });
    // DNS rebinding: a page on evil.example whose name now points at 127.0.0.1.
    const rebound = await raw({ host: `evil.example:${port}` });
    expect(rebound.status).toBe(403);
    expect(rebound.body).not.toContain('local-');
    expect((await raw({ host: `localhost:${port}` })).status).toBe(200);
    expect((await raw({ host: `127.0.0.1:${port}` })).status).toBe(200);
    const post = (origin: string) =>
      raw(
        { host: `127.0.0.1:${port}`, origin, authorization: `Bearer ${token.user}`, 'content-type': 'application/json' },
        'POST',
        '/runs',
      );
    expect((await post('http://evil.example')).status).toBe(403);
    expect((await post(`http://127.0.0.1:${port}`)).status).toBe(202);
  });

  it('takes a signed Slack decision locally, from the payload to the resumed execution', async () => {
    const runId = await startRun('admin', { input: 'x', model: { provider: 'scripted', turns: [{ toolCalls: [email] }, { text: 'ok' }] } });
    const { approvalId } = await pendingFor(runId);
    const body = `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', user: { id: 'UPAT' }, actions: [{ action_id: 'approve', value: approvalId }] }))}`;
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = `v0=${createHmac('sha256', 'local-slack-signing-secret').update(`v0:${timestamp}:${body}`).digest('hex')}`;
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signature,
    };
    const tampered = `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`;
    expect((await api('POST', '/slack/interactions', undefined, body, { ...headers, 'x-slack-signature': tampered })).status).toBe(401);
    expect((await api('POST', '/slack/interactions', undefined, body, headers)).status).toBe(200);
    expect(await finished(runId)).toMatchObject({ status: 'SUCCEEDED', calls: [{ status: 'executed' }] });
  });

  it('lets a bucket of capacity C admit exactly C of 3C calls made in one turn', async () => {
    // send_email: 3 per user in a burst. Nine calls in one turn, all approved: three are sent.
    const calls = Array.from({ length: 9 }, (_, i) => ({
      name: 'send_email',
      arguments: { to: 'jane@example.com', subject: `Note ${i}`, body: 'Hello.' },
    }));
    const runId = await startRun('adminApprover', {
      input: 'x',
      model: { provider: 'scripted', turns: [{ toolCalls: calls }, { text: 'ok' }] },
    });
    for (let decided = 0; decided < 9; decided++) {
      const { approvalId } = await pendingFor(runId);
      expect((await api('POST', `/approvals/${approvalId}`, 'approver', { decision: 'approve' })).status).toBe(200);
    }
    const statuses = ((await finished(runId)).calls as Array<{ status: string }>).map((c) => c.status);
    expect(statuses.filter((s) => s === 'executed')).toHaveLength(3);
    expect(statuses.filter((s) => s === 'rate_limited')).toHaveLength(6);
    expect(
      ((await api('GET', '/local/mail')).body.mail as Array<{ subject: string }>).filter((m) => m.subject.startsWith('Note ')),
    ).toHaveLength(3);
  });

  it('ends a model that never stops at the iteration limit', async () => {
    const turns = Array.from({ length: 6 }, () => ({ toolCalls: [{ name: 'lookup_order', arguments: { orderId: 'ORD-104231' } }] }));
    expect(
      await finished(await startRun('user', { input: 'x', maxIterations: 2, model: { provider: 'scripted', turns } }), 'user'),
    ).toMatchObject({ status: 'MAX_ITERATIONS', iterations: 2 });
  });
});

describe('IAM, locally', () => {
  it('denied none of the calls the suite above made: every function worked within its synthesized role', () => {
    expect(system.iam.used().size).toBeGreaterThanOrEqual(6);
    expect(system.iam.denials()).toEqual([]);
  });
});

describe('DATA_DIR', () => {
  it('keeps runs across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'guarded-agents-data-'));
    try {
      const first = await startDemoSystem({ dataDir, users });
      const runId = 'run-persisted-1';
      await first.runs.create({
        ...startingRun({ runId, owner: 'uma', groups: ['user'], input: 'remember me', maxIterations: 3 }),
        status: 'SUCCEEDED',
        output: 'kept',
      });
      await first.stop();
      const second = await startDemoSystem({ dataDir, users });
      expect((await second.runs.load(runId))?.run).toMatchObject({ output: 'kept', owner: 'uma' });
      await second.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('says clearly when the port is taken', async () => {
    const port = Number(new URL(base).port);
    await expect(listen(createApiServer(system.deps, users), port)).rejects.toThrow(`Port ${port} is already in use`);
  });
});
