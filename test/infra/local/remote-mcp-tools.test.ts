import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { ToolResult } from '#shared/tool-result/index.ts';
import type { LocalSystem } from '../../../infra/local/local-system.ts';
import { createApiServer, listen } from '../../../infra/local/http-server.ts';
import { loadLocalUsers } from '../../../infra/local/local-users.ts';
import { localSecretArn } from '../../../infra/local/embedded-secrets.ts';
import { DOCS_SECRET } from '../../fixtures/remote-mcp/remote-app.ts';
import type { RemoteMcpStandIn } from '../../support/remote-mcp-server.ts';
import { startRemoteToolsSystem } from '../../support/remote-tools-system.ts';
import { until } from '../../support/local-server.ts';

// A remote MCP server's tools behind the guards, on the local system as deployed: the app's tool
// folders hold only tool.ts (defineMcpTool); the proxy reads the server's credentials from Secrets
// Manager (embedded) through its role, and the stand-in server is made with the official SDK.
const TOKEN = 'stand-in-token-5c1e9a';
const users = loadLocalUsers();
const user = { userId: 'uma', groups: ['user'] };
const tokenOf = (group: string) => users.find((u) => u.groups.includes(group))?.token as string;

let world: Awaited<ReturnType<typeof startRemoteToolsSystem>>;
let remote: RemoteMcpStandIn;
let system: LocalSystem;
let server: Server;
let base: string;
beforeAll(async () => {
  world = await startRemoteToolsSystem(TOKEN);
  ({ remote, system } = world);
  server = createApiServer(system.deps, users);
  base = `http://127.0.0.1:${await listen(server, 0)}`;
});
afterAll(async () => {
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  await world?.stop();
});

const call = (tool: string, args: unknown) => system.callTool({ tool, arguments: args, caller: user });
const callsTo = (tool: string) => remote.calls.filter((c) => c.tool === tool);
const api = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${tokenOf('admin')}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return (await response.json()) as Record<string, unknown>;
};

describe('a remote MCP server as a source of tools', () => {
  it('forwards a call the guards admitted, with the credentials from its secret, and returns the result', async () => {
    const result = (await call('search_docs', { query: 'refunds', limit: 1 })) as ToolResult<Record<string, unknown>>;
    expect(result).toMatchObject({
      ok: true,
      data: { text: 'Guide: refunds', structured: { hits: [{ title: 'Guide: refunds', score: 0.9 }] }, truncated: false, omittedBlocks: 0 },
    });
    expect(callsTo('search').at(-1)).toEqual({ tool: 'search', args: { query: 'refunds', limit: 1 }, authorization: `Bearer ${TOKEN}` });
    // Read through the function's own role: the grant CDK wrote for this tool, on this secret.
    expect([...(system.iam.used().get('search_docs') ?? [])]).toContain(`secretsmanager:GetSecretValue ${localSecretArn(DOCS_SECRET)}`);
  });

  it('refuses what the declared schema does not allow before anything leaves: the remote tool takes more', async () => {
    const before = callsTo('search').length;
    const tooLong = await call('search_docs', { query: 'q'.repeat(81) });
    const tooMany = await call('search_docs', { query: 'refunds', limit: 50 });
    const unknownKey = await call('search_docs', { query: 'refunds', scope: 'internal' });
    for (const refused of [tooLong, tooMany, unknownKey])
      expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(callsTo('search')).toHaveLength(before);
  });

  it('caps what comes back at the declared size, and leaves out what is not text', async () => {
    const result = (await call('read_long_page', { kilobytes: 64 })) as ToolResult<{
      text: string;
      truncated: boolean;
      omittedBlocks: number;
    }>;
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.text).toBe('x'.repeat(1024));
    expect(result.data).toMatchObject({ truncated: true, omittedBlocks: 1 });
  });

  it('does not call a remote tool whose definition is not the one pinned, and stops offering it at once', async () => {
    const before = callsTo('search').length;
    const result = await call('search_docs_stale', { query: 'refunds' });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'TOOL_FAILED', message: expect.stringMatching(/changed since it was declared/) },
    });
    expect(callsTo('search')).toHaveLength(before);
    // Its breaker opened on that one failure: the model is not offered it, and a call is refused without a request to the server.
    const listed = (await api('GET', '/tools')).tools as Array<{ name: string; breaker: string }>;
    expect(listed.filter((t) => t.name.startsWith('search_docs'))).toEqual([
      expect.objectContaining({ name: 'search_docs', breaker: 'CLOSED' }),
      expect.objectContaining({ name: 'search_docs_stale', breaker: 'OPEN' }),
    ]);
    const requests = remote.requests();
    expect(await call('search_docs_stale', { query: 'refunds' })).toMatchObject({ ok: false, error: { code: 'CIRCUIT_OPEN' } });
    expect(remote.requests()).toBe(requests);
  });

  it('passes a remote error result on as a failure without its text (it would reach the model unlabelled)', async () => {
    const result = await call('lookup_failure', { reason: 'disk full' });
    expect(result).toMatchObject({ ok: false, error: { code: 'TOOL_FAILED' } });
    expect(JSON.stringify(result)).not.toMatch(/IGNORE PREVIOUS/);
    expect(callsTo('fail')).toHaveLength(1);
  });

  it('offers the declared tools to the model and over MCP, and never the remote tools nobody declared', async () => {
    const listed = ((await api('GET', '/tools')).tools as Array<{ name: string }>).map((t) => t.name);
    expect(listed).toEqual(expect.arrayContaining(['search_docs', 'read_long_page']));
    expect(listed).not.toContain('wipe_everything');
    const transport = new StreamableHTTPClientTransport(new URL('/mcp', base), {
      requestInit: { headers: { authorization: `Bearer ${tokenOf('admin')}` } },
    });
    const client = new Client({ name: 'test-client', version: '1.0.0' });
    await client.connect(transport);
    const overMcp = (await client.listTools()).tools.map((t) => t.name);
    await client.close();
    expect(overMcp).toEqual(expect.arrayContaining(['search_docs', 'read_long_page']));
    expect(overMcp).not.toContain('wipe_everything');
    expect(callsTo('wipe_everything')).toHaveLength(0);
  });

  it('runs in the loop like a native tool: the model asks, the guards admit, the run carries untrusted content from then on', async () => {
    const { runId } = (await api('POST', '/runs', {
      input: 'find the refunds guide',
      model: {
        provider: 'scripted',
        turns: [{ toolCalls: [{ name: 'search_docs', arguments: { query: 'refund window' } }] }, { text: 'Found it.' }],
      },
    })) as { runId: string };
    const run = await until(async () => {
      const body = await api('GET', `/runs/${runId}`);
      return body.status === 'SUCCEEDED' ? body : undefined;
    }, 15_000);
    expect(run.calls).toEqual([expect.objectContaining({ tool: 'search_docs', status: 'executed' })]);
    expect(run.untrusted).toMatchObject({ tool: 'search_docs' });
    expect(callsTo('search').at(-1)?.args).toEqual({ query: 'refund window' });
  });
});
