import { describe, expect, it } from 'vitest';
import { reachedTool } from '#shared/audit/index.ts';
import { useLocalServer } from '../support/local-server.ts';
import { categories } from './cases.ts';
import { INJECTION } from './run-redteam.ts';

// The same adversarial calls, sent by an MCP client straight to /mcp: over MCP the client is the
// model, so the attack itself is the call. A case's planted read is made first in the same
// session: from then on the session carries untrusted content, and its calls to sinks wait.
const local = useLocalServer();

describe('the red team over MCP', () => {
  it('every case is refused or waits for an approval; none reaches a handler', async () => {
    await local.system.documents.put('injected.md', INJECTION);
    const outcomes: Array<{ name: string; outcome: string }> = [];
    const sessions: string[] = [];
    for (const role of ['user', 'operator', 'admin'] as const) {
      const { client, session } = await local.mcpClient(local.tokenOfRole(role));
      sessions.push(session);
      try {
        for (const test of Object.values(categories)
          .flat()
          .filter((c) => (c.as ?? 'admin') === role)) {
          if (test.plantedRead) await client.callTool({ name: 'read_document', arguments: { path: test.plantedRead } });
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
    const records = (await Promise.all(sessions.map((s) => local.system.deps.audit.listByRun(`mcp-${s}`)))).flat();
    // (The planted reads themselves ran: they are the untrusted content, not an attack that got through.)
    const planted = new Set(Object.values(categories).flatMap((cases) => cases.flatMap((c) => (c.plantedRead ? [c.plantedRead] : []))));
    const plantedRead = (r: { tool: string; arguments: unknown }) =>
      r.tool === 'read_document' && planted.has(String((r.arguments as { path?: unknown }).path));
    expect(records.filter((r) => reachedTool(r) && !plantedRead(r) && (r.status === 'executed' || r.status === 'failed'))).toEqual([]);
    expect(outcomes.filter((o) => o.outcome === 'parked').length).toBeGreaterThan(0);
    // The SDK copies arguments into new objects, where a `__proto__` key would vanish (and the call
    // run without it): /mcp keeps it a key, so the strict schema refuses it, as for a model's call.
    const proto = outcomes.filter((o) => o.name.includes('__proto__'));
    expect(proto.length).toBeGreaterThanOrEqual(3);
    expect(proto.map((o) => o.outcome)).toEqual(proto.map(() => 'refused VALIDATION_FAILED'));
  });
});
