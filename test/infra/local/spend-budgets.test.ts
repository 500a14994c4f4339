import { describe, expect, it } from 'vitest';
import { until, useLocalServer } from '../../support/local-server.ts';

// Budgets per user and per tenant over days and months, through npm start's API and the
// synthesized state machine, with the demo stack deployed with `spendBudgets` (as `-c spendBudgets=`
// deploys it): reserved before each step on the guard table, so no run of the user or the tenant
// gets past them, and a run that would ends BUDGET_EXHAUSTED before the calls that would overspend.
const world = useLocalServer({
  stack: {
    spendBudgets: {
      tenant: { groupPrefix: 'tenant-' },
      limits: [
        { scope: 'user', window: 'day', toolCalls: 3, alarmAt: 0.6 },
        { scope: 'tenant', window: 'month', toolCalls: 5 },
      ],
    },
  },
  extraUsers: [
    { token: 'local-tina-token', userId: 'tina', groups: ['user', 'tenant-acme'] },
    { token: 'local-tom-token', userId: 'tom', groups: ['user', 'tenant-acme'] },
  ],
});

const lookup = (orderId: string) => ({ name: 'lookup_order', arguments: { orderId } });

/** Starts a scripted run as `token` and waits for it to end. */
const runToEnd = async (token: string, turns: object[]) => {
  const started = await world.api('POST', '/runs', token, { input: 'Look up orders', model: { provider: 'scripted', turns } });
  expect(started.status).toBe(202);
  const runId = started.body.runId as string;
  return until(async () => {
    const run = (await world.api('GET', `/runs/${runId}`, token)).body;
    return ['SUCCEEDED', 'BUDGET_EXHAUSTED', 'FAILED', 'MAX_ITERATIONS'].includes(run.status as string) ? run : undefined;
  }, 20_000);
};

describe('budgets per user and tenant (GuardedAgent spendBudgets)', () => {
  it('stops a run before a turn the user’s daily budget cannot pay for; GET /budgets shows both windows', async () => {
    const run = await runToEnd('local-tina-token', [
      { toolCalls: [lookup('ORD-104231'), lookup('ORD-104232')] },
      { text: 'Two more.', toolCalls: [lookup('ORD-104233'), lookup('ORD-104231')] },
      { text: 'done' },
    ]);
    expect(run).toMatchObject({
      status: 'BUDGET_EXHAUSTED',
      output:
        "Two more.\n\nStopped: user tina's budget for " + new Date().toISOString().slice(0, 10) + ' (3 tool calls) would be exceeded.',
      iterations: 2,
      stoppedBy: { kind: 'user', budget: expect.stringMatching(/^user tina's budget for \d{4}-\d{2}-\d{2} \(3 tool calls\)$/) },
    });
    expect((run.calls as Array<{ status: string }>).map((c) => c.status)).toEqual(['executed', 'executed', 'rate_limited', 'rate_limited']);
    const { body } = await world.api('GET', '/budgets', 'local-tina-token');
    // The turn that was refused holds nothing: the tenant's reservation was given back.
    expect(body.budgets).toEqual([
      expect.objectContaining({ scope: 'user', subject: 'tina', window: 'day', limit: { toolCalls: 3 }, spent: { toolCalls: 2 } }),
      expect.objectContaining({ scope: 'tenant', subject: 'acme', window: 'month', limit: { toolCalls: 5 }, spent: { toolCalls: 2 } }),
    ]);
    // Two of three crossed the user's alarm share (0.6): the alarm's metric was told, naming the counter.
    expect(world.system.events.filter((e) => e.startsWith('spendCrossed:spend#user#tina#'))).toEqual([
      expect.stringMatching(/^spendCrossed:spend#user#tina#\d{4}-\d{2}-\d{2}:toolCalls$/),
    ]);
  });

  it('holds another member of the tenant to what the tenant has left over the month', async () => {
    const first = await runToEnd('local-tom-token', [{ toolCalls: [lookup('ORD-104231'), lookup('ORD-104232')] }, { text: 'done' }]);
    expect(first.status).toBe('SUCCEEDED');
    // The tenant has spent 4 of 5 (tina's 2, tom's 2): tom's two more do not fit, though his own day has room for one.
    const second = await runToEnd('local-tom-token', [{ text: 'Two more.', toolCalls: [lookup('ORD-104233'), lookup('ORD-104231')] }]);
    expect(second).toMatchObject({
      status: 'BUDGET_EXHAUSTED',
      // Both tom's day (2 + 2 of 3) and the tenant's month (4 + 2 of 5) are short: the one the store checks first is named.
      output: expect.stringMatching(
        /^Two more\.\n\nStopped: (user tom|tenant acme)'s budget for [\d-]+ \(\d tool calls\) would be exceeded\.$/,
      ),
      stoppedBy: { kind: expect.stringMatching(/^(user|tenant)$/) },
      calls: [
        { status: 'rate_limited', code: 'BUDGET_EXHAUSTED' },
        { status: 'rate_limited', code: 'BUDGET_EXHAUSTED' },
      ],
    });
    // Refused, not made: each on the record with the budget that refused it.
    const audit = (await world.api('GET', `/runs/${second.runId as string}/audit`, 'local-tom-token')).body.records as Array<{
      code: string;
      result: string;
    }>;
    expect(audit.map((r) => r.code)).toEqual(['BUDGET_EXHAUSTED', 'BUDGET_EXHAUSTED']);
    expect(audit[0]?.result).toMatch(/(user tom|tenant acme)'s budget for/);
    const { body } = await world.api('GET', '/budgets', 'local-tom-token');
    expect((body.budgets as Array<{ spent: object }>).map((b) => b.spent)).toEqual([{ toolCalls: 2 }, { toolCalls: 4 }]);
  });

  it('refuses to start a run for a caller whose token names no tenant (fails closed), with what to do', async () => {
    const { status, body } = await world.api('POST', '/runs', world.tokenOfRole('operator'), { input: 'hello' });
    expect(status).toBe(403);
    expect((body.error as { message: string }).message).toContain('your token names no tenant (a group starting "tenant-")');
  });

  it('holds calls over MCP to the same budgets: each is one tool call, refused once a window is spent, and audited', async () => {
    const { client, session, close } = await world.mcpClient('local-tina-token');
    try {
      const call = () => client.callTool({ name: 'lookup_order', arguments: { orderId: 'ORD-104231' } });
      // Tina has spent 2 of her day's 3, the tenant 4 of its month's 5: one more fits both.
      expect((await call()).isError).toBe(false);
      const refused = await call();
      expect(refused.isError).toBe(true);
      expect(refused.structuredContent).toMatchObject({
        ok: false,
        error: { code: 'BUDGET_EXHAUSTED', message: expect.stringMatching(/^Not called: (user tina|tenant acme)'s budget for/) },
      });
      const { body } = await world.api('GET', '/budgets', 'local-tina-token');
      expect((body.budgets as Array<{ spent: object }>).map((b) => b.spent)).toEqual([{ toolCalls: 3 }, { toolCalls: 5 }]);
      // The session's audit trail: the call that ran, and the refusal that never reached the tool.
      const records = await world.system.deps.audit.listByRun(`mcp-${session}`);
      expect(records.map((r) => [r.status, r.code ?? null])).toEqual(
        expect.arrayContaining([
          ['executed', null],
          ['rate_limited', 'BUDGET_EXHAUSTED'],
        ]),
      );
    } finally {
      await close();
    }
  });
});
