import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../infra/cdk-app.ts';
import { type Bundles } from '../../support/lambda-bundles.ts';
import { system, useBundleSystem, synthBundles, invoke, scriptedRun, call, mcpPost } from './bundle-harness.ts';

// A deployment with Cedar policies: the bundles that evaluate them, with the bindings their assets ship.
useBundleSystem();

describe('a deployment with policies: CallModel, MCP and the tools a policy names evaluate them with the Cedar their assets ship', () => {
  let governed: Bundles;
  beforeAll(async () => {
    governed = await synthBundles('Policies', { policies: join(REPO_ROOT, 'test', 'infra', 'local', 'policies') });
  }, 180_000);

  it("ships Cedar's Node bindings beside the bundles that evaluate policies, and no other", async () => {
    const cedarIn = (name: string) =>
      existsSync(
        join(
          dirname((governed.get(name) as { file: string }).file),
          'node_modules',
          '@cedar-policy',
          'cedar-wasm',
          'nodejs',
          'cedar_wasm_bg.wasm',
        ),
      );
    expect(cedarIn('CallModel')).toBe(true);
    expect(cedarIn('Mcp')).toBe(true);
    // A tool a policy names evaluates it too; one no policy names loads none of it.
    expect(cedarIn('lookup_order')).toBe(true);
    expect(cedarIn('delete_document')).toBe(false);
    expect(cedarIn('Api')).toBe(false);
  });

  it("a tool's own bundle refuses what a policy forbids, whatever the loop did, and records the set's decision", async () => {
    // As the loop sends it: with the run's history (the policies count lookups).
    const history = { calls: { lookup_order: 0 }, tokens: 0 };
    const event = { ...call('lookup_order', { orderId: 'ORD-104231' }), history };
    const runId = 'run-bundle-policies-tool';
    expect(await invoke('lookup_order', { ...event, runId }, {}, governed)).toMatchObject({
      ok: false,
      error: { code: 'POLICY_DENIED', message: 'lookup_order was refused by policy no-lookups-of-order-104231.' },
    });
    const allowed = { ...call('lookup_order', { orderId: 'ORD-104233' }), runId };
    expect(await invoke('lookup_order', { ...allowed, callId: 'c1-2', history }, {}, governed)).toMatchObject({ ok: true });
    // Without the history the loop counts, the rule that counts cannot be decided: the tool refuses.
    expect(await invoke('lookup_order', { ...allowed, callId: 'c1-3' }, {}, governed)).toMatchObject({
      ok: false,
      error: { code: 'POLICY_DENIED', message: expect.stringContaining('policy at-most-three-lookups could not be evaluated') },
    });
    const records = await system.deps.audit.listByRun(runId);
    expect(records.map((r) => [r.policy?.effect, r.policy?.deciding])).toEqual([
      ['forbid', ['no-lookups-of-order-104231']],
      ['permit', undefined],
      ['forbid', ['at-most-three-lookups']],
    ]);
  });

  it('CallModel refuses a call a policy forbids, naming it, and screens the rest as before', async () => {
    const runId = 'run-bundle-policies';
    await scriptedRun(runId, [
      {
        toolCalls: [
          { name: 'lookup_order', arguments: { orderId: 'ORD-104231' } },
          { name: 'lookup_order', arguments: { orderId: 'ORD-104233' } },
        ],
      },
      { text: 'Done.' },
    ]);
    const step = (await invoke('CallModel', { runId }, { ALLOW_SCRIPTED_MODEL: 'true' }, governed)) as {
      execute?: Array<{ invocation: { arguments: unknown } }>;
    };
    expect(step.execute?.map((e) => e.invocation.arguments)).toEqual([{ orderId: 'ORD-104233' }]);
    const calls = (await system.runs.load(runId))?.calls ?? [];
    expect(calls.map((c) => [c.status, c.code ?? null])).toEqual([
      ['rejected', 'POLICY_DENIED'],
      ['running', null],
    ]);
    expect(JSON.stringify(calls[0])).toContain('no-lookups-of-order-104231');
  });

  it('Mcp refuses the same call over tools/call', async () => {
    const mcp = (body: unknown) => invoke('Mcp', mcpPost(body), {}, governed);
    const answer = await mcp({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'lookup_order', arguments: { orderId: 'ORD-104231' } },
    });
    expect(answer).toMatchObject({ statusCode: 200 });
    expect(String(answer.body)).toContain('POLICY_DENIED');
    expect(String(answer.body)).toContain('no-lookups-of-order-104231');
  });
});
