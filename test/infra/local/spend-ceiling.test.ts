import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoSystem, type DemoSystem } from '../../../infra/local/demo-app.ts';
import { createApiServer, listen } from '../../../infra/local/http-server.ts';
import { loadLocalUsers } from '../../../infra/local/local-users.ts';
import { until } from '../../support/local-server.ts';
import { startOpenAiUsage } from '../../support/openai-usage.ts';

// Token budgets that hold when runs overlap, through npm start's API with a model that reports its
// usage (an OpenAI-compatible server on loopback): each model call reserves its ceiling (its
// prompt's bound plus its answer's cap) before it is made, so however many runs of a user or a
// tenant start at once, what they spend never passes the cap.
const CAP_USER = 25_000;
// The three members together ask for more than the tenant allows (24 runs of about 1,900 tokens), each alone for less than their own (user) cap.
const CAP_TENANT = 30_000;
const tenantMembers = ['tia', 'tod', 'tess'];
const users = [
  ...loadLocalUsers(),
  // Each in a tenant of their own (with tenant limits declared, a caller without one is refused): their user cap binds first.
  { token: 'local-ursula-token', userId: 'ursula', groups: ['user', 'tenant-ursula'] },
  { token: 'local-ulla-token', userId: 'ulla', groups: ['user', 'tenant-ulla'] },
  ...tenantMembers.map((userId) => ({ token: `local-${userId}-token`, userId, groups: ['user', 'tenant-acme'] })),
];
const MODEL_ENV = ['MODEL_PROVIDER', 'OPENAI_BASE_URL', 'OPENAI_MODEL', 'OPENAI_API_KEY'] as const;
let model: Awaited<ReturnType<typeof startOpenAiUsage>>;
let system: DemoSystem;
let server: Server;
let base = '';
beforeAll(async () => {
  model = await startOpenAiUsage(400);
  Object.assign(process.env, {
    MODEL_PROVIDER: 'openai-compatible',
    OPENAI_BASE_URL: model.baseUrl,
    OPENAI_MODEL: 'gpt-4o-mini',
    OPENAI_API_KEY: 'sk-test',
  });
  system = await startDemoSystem({
    users,
    runLimit: { capacity: 100, refillPerMinute: 100 },
    stack: {
      spendBudgets: {
        tenant: { groupPrefix: 'tenant-' },
        limits: [
          { scope: 'user', window: 'day', tokens: CAP_USER },
          { scope: 'tenant', window: 'month', tokens: CAP_TENANT },
        ],
      },
    },
  });
  server = createApiServer(system.deps, users);
  base = `http://127.0.0.1:${await listen(server, 0)}`;
}, 60_000);
afterAll(async () => {
  for (const name of MODEL_ENV) delete process.env[name];
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await system.stop();
  await model.stop();
});

const api = async (method: string, path: string, token: string, body?: unknown) => {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const ENDED = new Set(['SUCCEEDED', 'BUDGET_EXHAUSTED', 'FAILED', 'MAX_ITERATIONS']);
/** Starts `count` runs of each user at once and waits until every one has ended. */
const overlapping = async (userIds: readonly string[], count: number) => {
  const started = await Promise.all(
    userIds.flatMap((userId) =>
      Array.from({ length: count }, async () => {
        const token = `local-${userId}-token`;
        const answer = await api('POST', '/runs', token, { input: 'What is the status of my orders?' });
        expect(answer.status).toBe(202);
        return { token, runId: answer.body.runId as string };
      }),
    ),
  );
  return Promise.all(
    started.map(({ token, runId }) =>
      until(async () => {
        const run = (await api('GET', `/runs/${runId}`, token)).body;
        return ENDED.has(run.status as string) ? run : undefined;
      }, 60_000),
    ),
  );
};
const spentOf = async (token: string, scope: 'user' | 'tenant') =>
  ((await api('GET', '/budgets', token)).body.budgets as Array<{ scope: string; spent: { tokens: number } }>).find((b) => b.scope === scope)
    ?.spent.tokens ?? 0;
const usedBy = (runs: ReadonlyArray<Record<string, unknown>>) =>
  runs.reduce((sum, run) => {
    const usage = run.usage as { inputTokens: number; outputTokens: number } | null;
    return sum + (usage ? usage.inputTokens + usage.outputTokens : 0);
  }, 0);

describe('token budgets under overlapping runs (each model call reserves its ceiling)', () => {
  for (const [userId, count] of [
    ['ursula', 8],
    ['ulla', 50],
  ] as const)
    it(`never lets ${count} runs of one user started at once spend past the user's daily cap`, async () => {
      const runs = await overlapping([userId], count);
      expect(runs.every((run) => run.status === 'SUCCEEDED' || run.status === 'BUDGET_EXHAUSTED')).toBe(true);
      expect(runs.some((run) => run.status === 'SUCCEEDED')).toBe(true);
      // Those stopped name the budget (the user's; or, while a reservation another counter refused is
      // being given back, their tenant's for a moment: refused sooner, never later). What was spent is
      // what the provider reported, settled exactly.
      for (const run of runs.filter((r) => r.status === 'BUDGET_EXHAUSTED'))
        expect(run.stoppedBy).toMatchObject({ budget: expect.stringMatching(new RegExp(`^(user|tenant) ${userId}'s budget`)) });
      const spent = await spentOf(`local-${userId}-token`, 'user');
      expect(spent).toBeLessThanOrEqual(CAP_USER);
      expect(spent).toBe(usedBy(runs));
      if (count === 50) expect(runs.some((run) => run.status === 'BUDGET_EXHAUSTED')).toBe(true);
    }, 120_000);

  it('never lets several users of one tenant, 8 runs each at once, spend past the tenant’s monthly cap', async () => {
    const runs = await overlapping(tenantMembers, 8);
    expect(runs.some((run) => run.status === 'SUCCEEDED')).toBe(true);
    expect(runs.some((run) => run.status === 'BUDGET_EXHAUSTED')).toBe(true);
    const spent = await spentOf('local-tia-token', 'tenant');
    expect(spent).toBeLessThanOrEqual(CAP_TENANT);
    expect(spent).toBe(usedBy(runs));
    // The model never answered past the cap it was given.
    expect(model.reported.every((r) => r.completion <= r.cap)).toBe(true);
  }, 120_000);
});
