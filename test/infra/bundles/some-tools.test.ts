import { beforeAll, describe, expect, it } from 'vitest';
import type { AnyTool } from '#shared/tool/index.ts';
import { toolCatalog } from '#functions/tools/catalog.ts';
import { type Bundles } from '../../support/lambda-bundles.ts';
import { system, useBundleSystem, synthBundles, invoke, scriptedRun } from './bundle-harness.ts';

// A deployment of some of the catalog's tools: its loop and its API know exactly those.
useBundleSystem();

describe('a deployment of some of the tools: its loop and its API know exactly those', () => {
  let some: Bundles;
  beforeAll(async () => {
    some = await synthBundles('SomeTools', {
      tools: [toolCatalog.resolve('lookup_order'), toolCatalog.resolve('search_knowledge_base')] as AnyTool[],
    });
  }, 180_000);
  const claims = { sub: 'uma', 'cognito:groups': 'user' };

  it("the API lists the deployed tools, not the repository's catalog", async () => {
    const tools = await invoke(
      'Api',
      { httpMethod: 'GET', path: '/tools', headers: {}, body: null, isBase64Encoded: false, requestContext: { authorizer: { claims } } },
      {},
      some,
    );
    expect((JSON.parse(String(tools.body)) as { tools: Array<{ name: string }> }).tools.map((t) => t.name).sort()).toEqual([
      'lookup_order',
      'search_knowledge_base',
    ]);
  });

  it('CallModel offers and screens the deployed tools only: a tool of the catalog that is not deployed is refused', async () => {
    const runId = 'run-bundle-some-tools';
    const turns = [
      {
        toolCalls: [
          { name: 'lookup_order', arguments: { orderId: 'ORD-104233' } },
          { name: 'read_document', arguments: { path: 'policies/leave-policy.md' } },
        ],
      },
      { text: 'Done.' },
    ];
    await scriptedRun(runId, turns);
    const step = (await invoke('CallModel', { runId }, { ALLOW_SCRIPTED_MODEL: 'true' }, some)) as {
      execute?: Array<{ invocation: { tool: string } }>;
    };
    expect(step.execute?.map((e) => e.invocation.tool)).toEqual(['lookup_order']);
    expect((await system.runs.load(runId))?.calls.map((c) => [c.tool, c.status, c.code ?? null])).toEqual([
      ['lookup_order', 'running', null],
      ['read_document', 'rejected', 'UNKNOWN_TOOL'],
    ]);
  });
});
