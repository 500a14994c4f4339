import { describe, expect, it } from 'vitest';
import { DynamoDbAuditStore } from '#shared/audit/index.ts';
import { handleApiRequest } from '#functions/api/router.ts';
import { errorResponse } from '#functions/api/error-response.ts';
import { tooManyRequests } from '#functions/api/http-error.ts';
import { GuardUnavailableError } from '#shared/tool-result/index.ts';
import { useApiHarness, users } from './api-harness.ts';

// The HTTP API's router: who may call what, and every refusal as a clear 4xx or 503, never a 500.

const api = useApiHarness();

describe('the HTTP API', () => {
  it('answers health without a token, and 401 on every other route without one', async () => {
    expect(await api.call('GET', '/health')).toEqual({ status: 200, body: { status: 'ok' } });
    for (const [method, path] of [
      ['GET', '/tools'],
      ['POST', '/runs'],
      ['GET', '/runs/run-x'],
      ['GET', '/approvals'],
      ['POST', '/approvals/x'],
    ]) {
      expect((await api.call(method!, path!)).status).toBe(401);
    }
  });

  it('lists the tools of the caller role with schema, risk, approval, limits and breaker state', async () => {
    const { body } = await api.call('GET', '/tools', { as: 'uma' });
    const tools = (body as { tools: Array<{ name: string; needsApproval: boolean; breaker: string; inputSchema: unknown }> }).tools;
    expect(tools.map((t) => t.name)).toEqual(['search_knowledge_base', 'read_document', 'lookup_order', 'fetch_url']);
    expect(tools[0]).toMatchObject({ needsApproval: false, breaker: 'CLOSED', inputSchema: { type: 'object' } });
    const admin = (await api.call('GET', '/tools', { as: 'adam' })).body as { tools: Array<{ name: string; needsApproval: boolean }> };
    expect(admin.tools.find((t) => t.name === 'send_email')?.needsApproval).toBe(true);
  });

  it('keeps a run’s budget within the deployment’s caps, refuses a dollar cap without prices, and shows budget and spent', async () => {
    const start = (budget: unknown) =>
      api.call('POST', '/runs', {
        as: 'uma',
        body: { input: 'Budgeted', budget, model: { provider: 'scripted', turns: [{ text: 'hi' }] } },
      });
    const capped = { ...api.deps, runBudget: { toolCalls: 20, tokens: 50_000 } };
    const saved = api.deps;
    api.deps = capped;
    try {
      const started_ = await start({ toolCalls: 500, tokens: 1000 });
      expect(started_.status).toBe(202);
      const { runId } = started_.body as { runId: string };
      expect(await api.call('GET', `/runs/${runId}`, { as: 'uma' })).toMatchObject({
        body: { budget: { toolCalls: 20, tokens: 1000 }, spent: { toolCalls: 0, tokens: 0, usd: null } },
      });
      expect(await start({ usd: 1 })).toMatchObject({
        status: 400,
        body: { error: { message: expect.stringContaining('no model prices') } },
      });
      for (const bad of [{ toolCalls: 0 }, { tokens: -5 }, { toolCalls: 1.5 }, { usd: 'free' }, { calls: 3 }])
        expect((await start(bad)).status, JSON.stringify(bad)).toBe(400);
    } finally {
      api.deps = saved;
    }
  });

  it('starts a run for the caller and shows it to its owner and admins only', async () => {
    const started_ = await api.call('POST', '/runs', {
      as: 'uma',
      body: { input: 'Where is my order?', model: { provider: 'scripted', turns: [{ text: 'hi' }] } },
    });
    expect(started_.status).toBe(202);
    const { runId } = started_.body as { runId: string };
    expect(api.started).toContain(runId);
    expect(await api.call('GET', `/runs/${runId}`, { as: 'uma' })).toMatchObject({
      status: 200,
      body: { runId, status: 'RUNNING', iterations: 0, calls: [] },
    });
    expect((await api.call('GET', `/runs/${runId}`, { as: 'adam' })).status).toBe(200);
    expect((await api.call('GET', `/runs/${runId}`, { as: 'olga' })).status).toBe(404);
    expect((await api.call('GET', `/runs/${runId}/audit`, { as: 'olga' })).status).toBe(404);
    expect(await api.call('GET', `/runs/${runId}/audit`, { as: 'uma' })).toMatchObject({ status: 200, body: { records: [] } });
  });

  it('answers bad input with 400 or 404 and a clear message, never a 500', async () => {
    const bad: Array<[string, string, Parameters<typeof api.call>[2]]> = [
      ['POST', '/runs', { as: 'olga', raw: '{not json' }],
      ['POST', '/runs', { as: 'olga', body: { input: '' } }],
      ['POST', '/runs', { as: 'olga', body: { input: 'x'.repeat(10_001) } }],
      ['POST', '/runs', { as: 'olga', body: { input: 'hi', maxIterations: 0 } }],
      ['POST', '/runs', { as: 'olga', body: { input: 'hi', maxIterations: 'many' } }],
      ['POST', '/runs', { as: 'olga', body: { input: 'hi', role: 'admin' } }],
      ['POST', '/runs', { as: 'olga', body: [1, 2] }],
      ['POST', '/runs', { as: 'olga', body: { input: 'hi', model: { provider: 'scripted', turns: 'x' } } }],
      ['POST', '/runs', { as: 'olga', raw: `{"input":"${'a'.repeat(70_000)}"}` }],
      ['GET', '/runs/..%2F..%2Fetc', { as: 'olga' }],
      ['GET', '/runs/%E0%A4%A', { as: 'olga' }],
      ['GET', '/runs/run-doesnotexist', { as: 'olga' }],
      ['GET', '/nope', { as: 'olga' }],
      ['POST', '/approvals/not-an-id', { as: 'pat', body: { decision: 'approve' } }],
      ['POST', '/approvals/run-x.c1-1', { as: 'pat', body: { decision: 'maybe' } }],
      ['GET', '/approvals', { as: 'pat', query: { status: 'all' } }],
    ];
    for (const [method, path, options] of bad) {
      const response = await api.call(method, path, options);
      expect([400, 404, 405], `${method} ${path} -> ${response.status}`).toContain(response.status);
      expect(response.body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    }
  });

  it('answers 503, never 500, when the audit trail cannot be read', async () => {
    const runId = (await api.call('POST', '/runs', { as: 'olga', body: { input: 'hello' } })).body as { runId: string };
    const broken = { ...api.deps, audit: new DynamoDbAuditStore({ client: api.db.client, tableName: 'no-such-audit-table' }) };
    for (const path of [`/runs/${runId.runId}`, `/runs/${runId.runId}/audit`]) {
      const response = await handleApiRequest({ method: 'GET', path, query: {}, headers: {}, body: '', identity: users.olga }, broken);
      expect(response, path).toMatchObject({ status: 503, headers: { 'retry-after': '1' }, body: { error: { code: 'UNAVAILABLE' } } });
    }
  });

  it('answers a wrong method on a known path with 405 and the methods it takes', async () => {
    expect(await api.call('DELETE', '/runs', { as: 'olga' })).toMatchObject({
      status: 405,
      headers: { allow: 'POST, GET' },
      body: { error: { code: 'METHOD_NOT_ALLOWED' } },
    });
    expect(await api.call('PUT', '/runs/run-x', { as: 'olga' })).toMatchObject({ status: 405, headers: { allow: 'GET' } });
    expect((await api.call('DELETE', '/nope', { as: 'olga' })).status).toBe(404);
  });

  it('answers a body over the one limit with 413, and JSON nested too deep with 400 before any run token is spent', async () => {
    expect(await api.call('POST', '/runs', { as: 'uma', raw: JSON.stringify({ input: 'x'.repeat(300 * 1024) }) })).toMatchObject({
      status: 413,
      body: { error: { code: 'PAYLOAD_TOO_LARGE' } },
    });
    const deep = `{"input":"hi","model":{"provider":"scripted","turns":[{"toolCalls":[{"name":"lookup_order","arguments":${'['.repeat(5000)}${']'.repeat(5000)}}]}]}}`;
    // ursula gets 3 runs: three deep bodies spend none of them.
    for (let i = 0; i < 3; i++)
      expect(await api.call('POST', '/runs', { as: 'ursula', raw: deep })).toMatchObject({
        status: 400,
        body: { error: { message: expect.stringContaining('nested deeper') } },
      });
    for (let i = 0; i < 3; i++) expect((await api.call('POST', '/runs', { as: 'ursula', body: { input: `run ${i}` } })).status).toBe(202);
  });

  it('refuses a body with a key twice in one object as ambiguous', async () => {
    const response = await api.call('POST', '/approvals/run-x.c1-1', { as: 'pat', raw: '{"decision":"deny","decision":"approve"}' });
    expect(response).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('"decision" appears twice') } } });
    // The same key in two different objects is fine, and so is a key inside a string.
    expect(
      (
        await api.call('POST', '/runs', {
          as: 'olga',
          raw: '{"input":"\\"input\\": twice?","model":{"provider":"scripted","turns":[{"text":"a"}]}}',
        })
      ).status,
    ).toBe(202);
  });

  it('limits how many runs one user may start, with Retry-After', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await api.call('POST', '/runs', { as: 'adam', body: { input: `run ${i}` } })).status);
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    const limited = await api.call('POST', '/runs', { as: 'adam', body: { input: 'again' } });
    expect(limited.headers?.['retry-after']).toMatch(/^\d+$/);
    // The message says the same wait as the header.
    expect((limited.body as { error: { message: string } }).error.message).toBe(
      `Too many runs started; try again in ${limited.headers?.['retry-after']} s.`,
    );
  });

  it('says the same wait in every 429 and 503 message as in its Retry-After, rounding up, at least 1 s', () => {
    for (const [ms, seconds] of [
      [0, 1],
      [0.4, 1],
      [999.99, 1],
      [1000, 1],
      [1000.0001, 2],
      [1500, 2],
      [5999, 6],
    ] as const) {
      const error = tooManyRequests('Too many runs started', ms);
      expect(error.headers).toEqual({ 'retry-after': String(seconds) });
      expect(error.message).toBe(`Too many runs started; try again in ${seconds} s.`);
    }
    const outage = errorResponse(new GuardUnavailableError('The store is down.'));
    expect(outage).toMatchObject({ status: 503, headers: { 'retry-after': '1' } });
    expect(outage.body).toEqual({
      error: { code: 'UNAVAILABLE', message: 'The service cannot reach its data right now; try again in 1 s.' },
    });
  });
});
