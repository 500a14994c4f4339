import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RunStatus } from '#shared/runs/index.ts';
import { startDemoSystem, type DemoSystem } from '../../../infra/local/demo-app.ts';

// An OpenAI-compatible server on loopback answering in the documented shapes: first a tool call, then text.
const requests: Array<{ messages: Array<{ role: string; content?: string }>; tools?: Array<{ function: { name: string } }> }> = [];
let model: Server;
let behaviour: 'order' | 'fetch-five' = 'order';
let system: DemoSystem;

beforeAll(async () => {
  model = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const parsed = JSON.parse(body) as (typeof requests)[number];
      requests.push(parsed);
      const toolTurn = !parsed.messages.some((m) => m.role === 'tool');
      if (behaviour === 'fetch-five') {
        res.writeHead(200, { 'content-type': 'application/json' });
        const calls = Array.from({ length: 5 }, (_, i) => ({
          id: `call_${i}`,
          type: 'function',
          function: { name: 'fetch_url', arguments: JSON.stringify({ url: `https://example.com/p${i}` }) },
        }));
        res.end(
          JSON.stringify({
            id: 'c',
            object: 'chat.completion',
            choices: [
              {
                index: 0,
                finish_reason: toolTurn ? 'tool_calls' : 'stop',
                message: toolTurn
                  ? { role: 'assistant', content: null, tool_calls: calls }
                  : { role: 'assistant', content: 'The site is down.' },
              },
            ],
          }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'chatcmpl-1',
          object: 'chat.completion',
          model: 'local-test',
          choices: [
            {
              index: 0,
              finish_reason: toolTurn ? 'tool_calls' : 'stop',
              message: toolTurn
                ? {
                    role: 'assistant',
                    content: null,
                    tool_calls: [
                      { id: 'call_1', type: 'function', function: { name: 'lookup_order', arguments: '{"orderId":"ORD-104231"}' } },
                    ],
                  }
                : { role: 'assistant', content: 'Your order ORD-104231 is packed.' },
            },
          ],
        }),
      );
    });
  });
  await new Promise<void>((r) => model.listen(0, '127.0.0.1', () => r()));
  vi.stubEnv('MODEL_PROVIDER', 'openai-compatible');
  vi.stubEnv('OPENAI_BASE_URL', `http://127.0.0.1:${(model.address() as AddressInfo).port}/v1`);
  vi.stubEnv('OPENAI_MODEL', 'local-test');
  system = await startDemoSystem({});
  vi.unstubAllEnvs();
});
afterAll(async () => {
  await system.stop();
  model.close();
});

describe('local mode with a configured model', () => {
  it('converses with the OpenAI-compatible server, offering only the tools of the caller role', async () => {
    const now = new Date().toISOString();
    await system.runs.create({
      runId: 'run-configured-1',
      owner: 'uma',
      groups: ['user'],
      input: 'Where is ORD-104231?',
      maxIterations: 5,
      iteration: 0,
      status: RunStatus.RUNNING,
      createdAt: now,
      updatedAt: now,
    });
    await system.deps.startExecution('run-configured-1');
    await system.executions.get('run-configured-1')?.finished;
    expect((await system.runs.load('run-configured-1'))?.run).toMatchObject({
      status: 'SUCCEEDED',
      output: 'Your order ORD-104231 is packed.',
    });
    expect(requests[0]?.tools?.map((t) => t.function.name)).toEqual([
      'search_knowledge_base',
      'read_document',
      'lookup_order',
      'fetch_url',
    ]);
    expect(requests).toHaveLength(2);
  });
});

describe('a tool made to fail', () => {
  it('opens its breaker after its threshold, and on the next turn the model is not offered it and is told why', async () => {
    behaviour = 'fetch-five';
    requests.length = 0;
    vi.stubEnv('MODEL_PROVIDER', 'openai-compatible');
    vi.stubEnv('OPENAI_BASE_URL', `http://127.0.0.1:${(model.address() as AddressInfo).port}/v1`);
    vi.stubEnv('OPENAI_MODEL', 'local-test');
    const failing = await startDemoSystem({
      fetch: (async () => {
        throw new Error('network down');
      }) as unknown as typeof fetch,
    });
    vi.unstubAllEnvs();
    try {
      const now = new Date().toISOString();
      await failing.runs.create({
        runId: 'run-breaker-1',
        owner: 'uma',
        groups: ['user'],
        input: 'Is the site up?',
        maxIterations: 5,
        iteration: 0,
        status: RunStatus.RUNNING,
        createdAt: now,
        updatedAt: now,
      });
      await failing.deps.startExecution('run-breaker-1');
      await failing.executions.get('run-breaker-1')?.finished;
      expect((await failing.runs.load('run-breaker-1'))!.calls.map((c) => c.code)).toEqual([
        'TOOL_FAILED',
        'TOOL_FAILED',
        'TOOL_FAILED',
        'TOOL_FAILED',
        'TOOL_FAILED',
      ]);
      expect(requests[0]?.tools?.map((t) => t.function.name)).toContain('fetch_url');
      const second = requests[1]!;
      expect(second.tools?.map((t) => t.function.name)).toEqual(['search_knowledge_base', 'read_document', 'lookup_order']);
      expect(second.messages[0]).toMatchObject({
        role: 'system',
        content: expect.stringContaining('temporarily unavailable because they are failing: fetch_url'),
      });
    } finally {
      await failing.stop();
      behaviour = 'order';
    }
  });
});
