import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RunStatus } from '#shared/runs/run-record.ts';
import { startLocalSystem, type LocalSystem } from '../../../infra/local/local-system.ts';

// An OpenAI-compatible server on loopback answering in the documented shapes: first a tool call, then text.
const requests: Array<{ messages: Array<{ role: string; content?: string }>; tools?: Array<{ function: { name: string } }> }> = [];
let model: Server;
let system: LocalSystem;

beforeAll(async () => {
  model = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const parsed = JSON.parse(body) as (typeof requests)[number];
      requests.push(parsed);
      const toolTurn = !parsed.messages.some((m) => m.role === 'tool');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({
        id: 'chatcmpl-1', object: 'chat.completion', model: 'local-test',
        choices: [{ index: 0, finish_reason: toolTurn ? 'tool_calls' : 'stop', message: toolTurn
          ? { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup_order', arguments: '{"orderId":"ORD-104231"}' } }] }
          : { role: 'assistant', content: 'Your order ORD-104231 is packed.' } }],
      }));
    });
  });
  await new Promise<void>((r) => model.listen(0, '127.0.0.1', () => r()));
  vi.stubEnv('MODEL_PROVIDER', 'openai-compatible');
  vi.stubEnv('OPENAI_BASE_URL', `http://127.0.0.1:${(model.address() as AddressInfo).port}/v1`);
  vi.stubEnv('OPENAI_MODEL', 'local-test');
  system = await startLocalSystem({});
  vi.unstubAllEnvs();
});
afterAll(async () => {
  await system.stop();
  model.close();
});

describe('local mode with a configured model', () => {
  it('converses with the OpenAI-compatible server, offering only the tools of the caller role', async () => {
    const now = new Date().toISOString();
    await system.runs.create({ runId: 'run-configured-1', owner: 'uma', groups: ['user'], input: 'Where is ORD-104231?', maxIterations: 5, iteration: 0, status: RunStatus.RUNNING, createdAt: now, updatedAt: now });
    await system.deps.startExecution('run-configured-1');
    await system.executions.get('run-configured-1')?.finished;
    expect((await system.runs.load('run-configured-1'))?.run).toMatchObject({ status: 'SUCCEEDED', output: 'Your order ORD-104231 is packed.' });
    expect(requests[0]?.tools?.map((t) => t.function.name)).toEqual(['search_knowledge_base', 'read_document', 'lookup_order', 'fetch_url']);
    expect(requests).toHaveLength(2);
  });
});

describe('a tool made to fail', () => {
  it('opens its breaker after its threshold, and the model is no longer offered it and is told why', async () => {
    const failing = await startLocalSystem({ fetch: (async () => { throw new Error('network down'); }) as unknown as typeof fetch });
    try {
      const fetchCall = (i: number) => ({ name: 'fetch_url', arguments: { url: `https://example.com/page-${i}` } });
      const now = new Date().toISOString();
      const script = { provider: 'scripted' as const, turns: [{ toolCalls: [0, 1, 2, 3, 4].map(fetchCall) }, { toolCalls: [fetchCall(5)] }, { text: 'gave up' }] };
      await failing.runs.create({ runId: 'run-breaker-1', owner: 'uma', groups: ['user'], input: 'x', maxIterations: 5, iteration: 0, status: RunStatus.RUNNING, script: script as never, createdAt: now, updatedAt: now });
      await failing.deps.startExecution('run-breaker-1');
      await failing.executions.get('run-breaker-1')?.finished;
      const calls = (await failing.runs.load('run-breaker-1'))!.calls.map((c) => c.code);
      expect(calls).toEqual(['TOOL_FAILED', 'TOOL_FAILED', 'TOOL_FAILED', 'TOOL_FAILED', 'TOOL_FAILED', 'CIRCUIT_OPEN']);
      expect(failing.events).toContain('runEnded:SUCCEEDED:3');
      // What the model is offered now: the role's tools minus the open one, and a note saying so.
      const open = await failing.deps.openBreakers(['fetch_url', 'lookup_order']);
      expect([...open]).toEqual(['fetch_url']);
      const { offeredTools } = await import('#shared/guards/offered-tools.ts');
      const { toolCatalog } = await import('#functions/tools/catalog.ts');
      const offered = offeredTools(toolCatalog, ['user'], open);
      expect(offered.tools.map((t) => t.name)).not.toContain('fetch_url');
      expect(offered.note).toContain('fetch_url');
    } finally {
      await failing.stop();
    }
  });
});
