import { describe, expect, it } from 'vitest';
import { until, useLocalServer } from '../../support/local-server.ts';

// A run's budget through npm start's API and the synthesized state machine: the run stops before
// the calls that would overspend it, and nothing of them runs.
const world = useLocalServer();

describe('a run’s budget (POST /runs "budget")', () => {
  it('ends BUDGET_EXHAUSTED before a turn whose calls would overspend it: none of them runs', async () => {
    const token = world.tokenOfRole('user');
    const lookup = (orderId: string) => ({ name: 'lookup_order', arguments: { orderId } });
    const { body } = await world.api('POST', '/runs', token, {
      input: 'Look up three orders',
      budget: { toolCalls: 2 },
      model: {
        provider: 'scripted',
        turns: [
          { toolCalls: [lookup('ORD-104231')] },
          { text: 'Two more.', toolCalls: [lookup('ORD-104232'), lookup('ORD-104233')] },
          { text: 'done' },
        ],
      },
    });
    const runId = body.runId as string;
    const run = await until(async () => {
      const current = (await world.api('GET', `/runs/${runId}`, token)).body;
      return current.status === 'BUDGET_EXHAUSTED' ? current : undefined;
    }, 15_000);
    // The output names the budget whatever the model wrote, and the run says whose budget stopped it.
    expect(run).toMatchObject({
      output: 'Two more.\n\nStopped: its budget of 2 tool calls would be exceeded (1 made, 2 more asked for).',
      iterations: 2,
      budget: { toolCalls: 2 },
      spent: { toolCalls: 1, tokens: 0, usd: null },
      stoppedBy: { kind: 'run', budget: 'its budget of 2 tool calls' },
      calls: [
        { tool: 'lookup_order', status: 'executed' },
        { tool: 'lookup_order', status: 'rate_limited', code: 'BUDGET_EXHAUSTED' },
        { tool: 'lookup_order', status: 'rate_limited', code: 'BUDGET_EXHAUSTED' },
      ],
    });
    // Every attempt leaves one record: the call that ran and the two the budget refused.
    const audit = (await world.api('GET', `/runs/${runId}/audit`, token)).body.records as Array<{ tool: string; code?: string }>;
    expect(audit.map((r) => `${r.tool}:${r.code ?? 'ok'}`).sort()).toEqual([
      'lookup_order:BUDGET_EXHAUSTED',
      'lookup_order:BUDGET_EXHAUSTED',
      'lookup_order:ok',
    ]);
  });
});
