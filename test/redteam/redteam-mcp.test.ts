import type { Server } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reachedTool } from '#shared/audit/audit-record.ts';
import { startDemoSystem, type DemoSystem } from '../../infra/local/demo-app.ts';
import { createApiServer, listen } from '../../infra/local/http-server.ts';
import { loadLocalUsers } from '../../infra/local/local-users.ts';
import { categories } from './cases.ts';

// The same adversarial calls, sent by an MCP client straight to /mcp: over MCP the client is the
// model, so a planted read is beside the point; the attack itself is the call.
const users = loadLocalUsers();
let system: DemoSystem;
let server: Server;
let base: string;
beforeAll(async () => {
  system = await startDemoSystem({ users });
  server = createApiServer(system.deps, users);
  base = `http://127.0.0.1:${await listen(server, 0)}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await system.stop();
});

describe('the red team over MCP', () => {
  it('every case is refused or waits for an approval; none reaches a handler', async () => {
    const outcomes: Array<{ name: string; outcome: string }> = [];
    const sessions: string[] = [];
    for (const role of ['user', 'operator', 'admin'] as const) {
      const token = users.find((u) => u.groups.includes(role))?.token as string;
      const transport = new StreamableHTTPClientTransport(new URL('/mcp', base), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      });
      const client = new Client({ name: 'red-team', version: '1.0.0' });
      await client.connect(transport);
      sessions.push(transport.sessionId as string);
      try {
        for (const test of Object.values(categories)
          .flat()
          .filter((c) => (c.as ?? 'admin') === role)) {
          const answer = await client
            .callTool({ name: test.tool, arguments: JSON.parse(test.argumentsJson) as Record<string, unknown> })
            .catch((error: Error) => ({ isError: true, structuredContent: { refusedBy: error.message } }));
          const body = answer.structuredContent as { ok?: boolean; status?: string; error?: { code: string } };
          outcomes.push({
            name: test.name,
            outcome:
              body.status === 'awaiting_approval'
                ? 'parked'
                : answer.isError
                  ? `refused ${body.error?.code ?? 'by the protocol'}`
                  : 'EXECUTED',
          });
        }
      } finally {
        await client.close();
      }
    }
    const cases = Object.values(categories).flat().length;
    expect(outcomes).toHaveLength(cases);
    expect(outcomes.filter((o) => o.outcome === 'EXECUTED')).toEqual([]);
    // The trail agrees: no attempt of any red-team session reached a handler and ran it.
    const records = (await Promise.all(sessions.map((s) => system.deps.audit.listByRun(`mcp-${s}`)))).flat();
    expect(records.filter((r) => reachedTool(r) && (r.status === 'executed' || r.status === 'failed'))).toEqual([]);
    expect(outcomes.filter((o) => o.outcome === 'parked').length).toBeGreaterThan(0);
    // The SDK copies arguments into new objects, where a `__proto__` key would vanish (and the call
    // run without it): /mcp keeps it a key, so the strict schema refuses it, as for a model's call.
    const proto = outcomes.filter((o) => o.name.includes('__proto__'));
    expect(proto.length).toBeGreaterThanOrEqual(3);
    expect(proto.map((o) => o.outcome)).toEqual(proto.map(() => 'refused VALIDATION_FAILED'));
  });
});
