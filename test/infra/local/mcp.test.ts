import { describe, expect, it } from 'vitest';
import { useLocalServer } from '../../support/local-server.ts';

// The official SDK's client against npm start's /mcp, with a local bearer token.
const local = useLocalServer();
const tokenOf = (userId: string) => local.tokenOf(userId);
const connect = (userId: string) => local.mcpClient(tokenOf(userId));
const api = async (userId: string, method: string, path: string, body?: unknown) => {
  const response = await fetch(`${local.base}${path}`, {
    method,
    headers: { authorization: `Bearer ${tokenOf(userId)}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const auditOf = async (session: string) =>
  (await local.system.deps.audit.listByRun(`mcp-${session}`)).map((r) => [r.tool, r.status, r.code ?? null]);

describe('MCP at /mcp (Streamable HTTP, the official SDK)', () => {
  it('lists exactly the tools of the caller’s role, with their schemas and hints', async () => {
    const user = await connect('uma');
    const admin = await connect('adam');
    try {
      expect(user.session).toMatch(/^[0-9a-f-]{36}$/);
      const { tools } = await user.client.listTools();
      const served = (await api('uma', 'GET', '/tools')).body.tools as Array<{ name: string }>;
      expect(tools.map((t) => t.name).sort()).toEqual(served.map((t) => t.name).sort());
      expect(tools.map((t) => t.name)).not.toContain('send_email');
      const order = tools.find((t) => t.name === 'lookup_order');
      expect(order?.inputSchema).toMatchObject({
        type: 'object',
        properties: { orderId: { type: 'string' } },
        additionalProperties: false,
      });
      expect(order?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
      const adminTools = (await admin.client.listTools()).tools;
      expect(adminTools.find((t) => t.name === 'send_email')?.annotations).toMatchObject({ destructiveHint: true });
    } finally {
      await user.close();
      await admin.close();
    }
  });

  it('calls a tool through every guard and audits it under the session; a refused call is an error with its code, never run', async () => {
    const { client, session, close } = await connect('uma');
    try {
      const ok = await client.callTool({ name: 'lookup_order', arguments: { orderId: 'ORD-104231' } });
      expect(ok.isError).toBe(false);
      expect(ok.structuredContent).toMatchObject({ ok: true, data: { orderId: 'ORD-104231', status: 'PACKED' } });
      expect(JSON.parse((ok.content as Array<{ text: string }>)[0]?.text ?? '')).toEqual(ok.structuredContent);

      const invalid = await client.callTool({ name: 'lookup_order', arguments: { orderId: '1; DROP TABLE' } });
      expect(invalid).toMatchObject({ isError: true, structuredContent: { ok: false, error: { code: 'VALIDATION_FAILED' } } });
      const outsideRole = await client.callTool({ name: 'delete_document', arguments: { path: 'drafts-q4-announcement.md' } });
      expect(outsideRole).toMatchObject({ isError: true, structuredContent: { error: { code: 'PERMISSION_DENIED' } } });
      const unknown = await client.callTool({ name: 'drop_database', arguments: {} });
      expect(unknown).toMatchObject({ isError: true, structuredContent: { error: { code: 'UNKNOWN_TOOL' } } });

      expect((await auditOf(session)).sort()).toEqual(
        [
          ['lookup_order', 'executed', null],
          ['lookup_order', 'rejected', 'VALIDATION_FAILED'],
          ['delete_document', 'rejected', 'PERMISSION_DENIED'],
          ['drop_database', 'rejected', 'UNKNOWN_TOOL'],
        ].sort(),
      );
    } finally {
      await close();
    }
  });

  it('a destructive call waits for an approval, answers the same while it waits, then runs exactly once when approved', async () => {
    const { client, session, close } = await connect('adam');
    const args = { to: 'jane@example.com', subject: 'Over MCP', body: 'Hello from an MCP client.' };
    try {
      const asked = await client.callTool({ name: 'send_email', arguments: args });
      expect(asked).toMatchObject({ isError: false, structuredContent: { status: 'awaiting_approval' } });
      const { approvalId } = asked.structuredContent as { approvalId: string };
      const again = await client.callTool({ name: 'send_email', arguments: args });
      expect(again.structuredContent).toMatchObject({ status: 'awaiting_approval', approvalId });

      const pending = (await api('pat', 'GET', '/approvals?status=pending')).body.approvals as Array<{
        approvalId: string;
        requestedBy: string;
      }>;
      expect(pending.find((a) => a.approvalId === approvalId)).toMatchObject({ requestedBy: 'adam', context: { via: 'mcp' } });
      // Nobody approves their own call; the approver does.
      expect((await api('adam', 'POST', `/approvals/${approvalId}`, { decision: 'approve' })).status).toBe(403);
      expect((await api('pat', 'POST', `/approvals/${approvalId}`, { decision: 'approve' })).status).toBe(200);

      const sent = await client.callTool({ name: 'send_email', arguments: args });
      expect(sent).toMatchObject({ isError: false, structuredContent: { ok: true, approvalId } });
      const replayed = await client.callTool({ name: 'send_email', arguments: args });
      expect(replayed.structuredContent).toEqual(sent.structuredContent);
      expect((await local.system.sentMail()).filter((m) => m.subject === 'Over MCP')).toHaveLength(1);

      // Other arguments are another call: they wait for an approval of their own.
      const other = await client.callTool({ name: 'send_email', arguments: { ...args, to: 'bob@example.com' } });
      expect(other.structuredContent).toMatchObject({ status: 'awaiting_approval' });
      expect((other.structuredContent as { approvalId: string }).approvalId).not.toBe(approvalId);
      expect(
        (await auditOf(session))
          .filter(([tool]) => tool === 'send_email')
          .map(([, status]) => status)
          .sort(),
      ).toEqual(['approved', 'decision-refused', 'executed', 'replayed']); // decision-refused: adam's own try at approving
    } finally {
      await close();
    }
  });

  it('a denied call is refused with APPROVAL_DENIED and never runs', async () => {
    const { client, close } = await connect('adam');
    const args = { to: 'eve@example.com', subject: 'Denied over MCP', body: 'Should never be sent.' };
    try {
      const { approvalId } = (await client.callTool({ name: 'send_email', arguments: args })).structuredContent as { approvalId: string };
      expect((await api('pat', 'POST', `/approvals/${approvalId}`, { decision: 'deny', reason: 'not today' })).status).toBe(200);
      const denied = await client.callTool({ name: 'send_email', arguments: args });
      expect(denied).toMatchObject({ isError: true, structuredContent: { error: { code: 'APPROVAL_DENIED' } } });
      expect((await local.system.sentMail()).filter((m) => m.subject === 'Denied over MCP')).toHaveLength(0);
    } finally {
      await close();
    }
  });

  it('refuses a request without a token (401), another origin (403), and GET and DELETE (405: no server stream, no session to end)', async () => {
    const initialize = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
    };
    const post = (headers: Record<string, string>) =>
      fetch(`${local.base}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: JSON.stringify(initialize),
      });
    expect((await post({})).status).toBe(401);
    expect((await post({ authorization: `Bearer ${tokenOf('uma')}`, origin: 'http://evil.example' })).status).toBe(403);
    for (const method of ['GET', 'DELETE']) {
      const response = await fetch(`${local.base}/mcp`, { method, headers: { authorization: `Bearer ${tokenOf('uma')}` } });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    }
  });
});
