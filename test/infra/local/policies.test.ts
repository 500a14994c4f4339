import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '#shared/audit/index.ts';
import { until, useLocalServer } from '../../support/local-server.ts';

// Cedar policies through npm start's API: the loop and MCP screen every call with the same files.
const world = useLocalServer({
  stack: { policies: join(import.meta.dirname, 'policies') },
  extraUsers: [
    // A second approver, for the refund that needs two, and an admin of its own who asks for the refunds
    // (the runs each user may start in a window are limited).
    { token: 'local-approver-2-token', userId: 'quinn', groups: ['approver'] },
    { token: 'local-refunder-token', userId: 'rita', groups: ['admin'] },
  ],
});
const admin = () => world.tokenOfRole('admin');

type Run = {
  status: string;
  calls: Array<{ tool: string; status: string; result?: { ok: boolean; error?: { code: string; message: string } } }>;
};
const run = async (runId: string) => (await world.api('GET', `/runs/${runId}`, admin())).body as unknown as Run;
const startRun = async (turns: unknown[], token = admin()) =>
  (await world.api('POST', '/runs', token, { input: 'policies', model: { provider: 'scripted', turns } })).body.runId as string;
const settled = (runId: string, status: string) =>
  until(async () => ((await run(runId)).status === status ? run(runId) : undefined), 15_000);

/** A run's audit records as the API answers them (each with the policies' decision). */
const auditOf = async (runId: string) => (await world.api('GET', `/runs/${runId}/audit`, admin())).body.records as AuditRecord[];

describe('Cedar policies on the local system (GuardedAgent policies, read by npm start)', () => {
  it('refuses a call a policy forbids, naming the policy, and lets the same tool through otherwise', async () => {
    const runId = await startRun([
      { toolCalls: [{ name: 'lookup_order', arguments: { orderId: 'ORD-104231' } }] },
      { toolCalls: [{ name: 'lookup_order', arguments: { orderId: 'ORD-104233' } }] },
      { toolCalls: [{ name: 'search_knowledge_base', arguments: { query: 'refunds' } }] },
      { text: 'done' },
    ]);
    const finished = await settled(runId, 'SUCCEEDED');
    expect(finished.calls.map((c) => `${c.tool}:${c.status}`)).toEqual([
      'lookup_order:rejected',
      'lookup_order:executed',
      // A shadow policy is recorded, never enforced.
      'search_knowledge_base:executed',
    ]);
    // Every record says which policy set decided what: the refusal at screening, the call the tool's own check let through, the shadow.
    const records = await auditOf(runId);
    const hash = world.system.agentPolicies?.hash;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(
      records.map((r) => [
        r.tool,
        r.code ?? 'ok',
        r.policy?.hash === hash,
        r.policy?.effect,
        r.policy?.deciding,
        r.policy?.shadow?.map((p) => p.id),
      ]),
    ).toEqual([
      ['lookup_order', 'POLICY_DENIED', true, 'forbid', ['no-lookups-of-order-104231'], undefined],
      ['lookup_order', 'ok', true, 'permit', undefined, undefined],
      ['search_knowledge_base', 'ok', true, 'permit', undefined, ['search-shadow']],
    ]);
  });

  it('makes a call a policy asks approval for wait for a person, saying which policy asked', async () => {
    const runId = await startRun([
      { toolCalls: [{ name: 'create_ticket', arguments: { title: 'Down', description: 'The site is down.', priority: 'urgent' } }] },
      { text: 'done' },
    ]);
    await settled(runId, 'WAITING_FOR_APPROVAL');
    const pending = await until(async () => {
      const list = (await world.api('GET', '/approvals?status=pending', world.tokenOfRole('approver'))).body.approvals as Array<{
        runId: string;
        tool: string;
        why?: string;
        approvalId: string;
      }>;
      return list.find((a) => a.runId === runId);
    }, 15_000);
    expect(pending).toMatchObject({ tool: 'create_ticket' });
    expect(pending.why).toContain('Policy urgent-tickets-need-a-person asks for a person');
    await world.api('POST', `/approvals/${pending.approvalId}`, world.tokenOfRole('approver'), { decision: 'approve' });
    expect((await settled(runId, 'SUCCEEDED')).calls.map((c) => `${c.tool}:${c.status}`)).toEqual(['create_ticket:executed']);
  });

  it("counts the run's calls: a fourth lookup is refused, and so is fetch_url once a customer record was read", async () => {
    const lookup = { name: 'lookup_order', arguments: { orderId: 'ORD-104233' } };
    const runId = await startRun([
      { toolCalls: [lookup, lookup, lookup, lookup] },
      { toolCalls: [{ name: 'fetch_url', arguments: { url: 'https://example.com/status' } }] },
      { text: 'done' },
    ]);
    const finished = await settled(runId, 'SUCCEEDED');
    expect(finished.calls.map((c) => `${c.tool}:${c.status}`)).toEqual([
      'lookup_order:executed',
      'lookup_order:executed',
      'lookup_order:executed',
      'lookup_order:rejected',
      'fetch_url:rejected',
    ]);
    const records = await auditOf(runId);
    expect(
      records.filter((r) => r.code === 'POLICY_DENIED').map((r) => [r.tool, r.policy?.deciding, r.policy?.run?.calls.lookup_order]),
    ).toEqual([
      ['lookup_order', ['at-most-three-lookups'], 3],
      ['fetch_url', ['no-fetch-after-customer-record'], 3],
    ]);
  });

  it("counts the user's calls of a tool over the last hour, across runs and MCP sessions", async () => {
    // The operator (olga) is no other test's caller: the hour's count is hers alone.
    const operator = world.tokenOfRole('operator');
    const read = { name: 'read_document', arguments: { path: 'policies/leave-policy.md' } };
    const start = async (turns: unknown[]) =>
      (await world.api('POST', '/runs', operator, { input: 'documents', model: { provider: 'scripted', turns } })).body.runId as string;
    // One turn, three reads: the count goes on within the turn (the third is the hour's third).
    const first = await start([{ toolCalls: [read] }, { toolCalls: [read, read] }, { text: 'done' }]);
    expect((await settled(first, 'SUCCEEDED')).calls.map((c) => `${c.tool}:${c.status}`)).toEqual([
      'read_document:executed',
      'read_document:executed',
      'read_document:rejected',
    ]);
    // Another run of hers: the two calls of the first are in the hour.
    const second = await start([{ toolCalls: [read] }, { text: 'done' }]);
    expect((await settled(second, 'SUCCEEDED')).calls.map((c) => `${c.tool}:${c.status}`)).toEqual(['read_document:rejected']);
    const [refused] = (await auditOf(second)).filter((r) => r.code === 'POLICY_DENIED');
    expect([refused?.policy?.deciding, refused?.policy?.run?.lastHour]).toEqual([['two-documents-an-hour'], 2]);
    // And over MCP, as the same user.
    const { client, close } = await world.mcpClient(operator);
    try {
      const overMcp = (await client.callTool(read)) as { isError?: boolean; content: Array<{ text: string }> };
      expect(overMcp.isError).toBe(true);
      expect(overMcp.content[0]?.text).toContain('two-documents-an-hour');
    } finally {
      await close();
    }
  });

  it('reads who approved what earlier in the run', async () => {
    const lookup = { name: 'lookup_order', arguments: { orderId: 'ORD-104230' } };
    const runId = await startRun([
      { toolCalls: [lookup] },
      { toolCalls: [{ name: 'create_ticket', arguments: { title: 'Late', description: 'Order late.', priority: 'urgent' } }] },
      { toolCalls: [lookup] },
      { text: 'done' },
    ]);
    await settled(runId, 'WAITING_FOR_APPROVAL');
    const pending = await until(async () => {
      const list = (await world.api('GET', '/approvals?status=pending', world.tokenOfRole('approver'))).body.approvals as Array<{
        runId: string;
        approvalId: string;
      }>;
      return list.find((a) => a.runId === runId);
    }, 15_000);
    await world.api('POST', `/approvals/${pending.approvalId}`, world.tokenOfRole('approver'), { decision: 'approve' });
    expect((await settled(runId, 'SUCCEEDED')).calls.map((c) => `${c.tool}:${c.status}`)).toEqual([
      'lookup_order:rejected',
      'create_ticket:executed',
      'lookup_order:executed',
    ]);
    // The tool's own check decided on the same approvals, and its record keeps them.
    const allowed = (await auditOf(runId)).filter((r) => r.tool === 'lookup_order' && r.status === 'executed');
    expect(allowed.map((r) => r.policy?.run?.approvals)).toEqual([[{ tool: 'create_ticket', by: 'pat' }]]);
  });

  it('asks two approvers for a refund above 100 EUR, one for a smaller one', async () => {
    const refund = (amountCents: number) => ({ name: 'refund_order', arguments: { orderId: 'ORD-104230', amountCents, reason: 'Late.' } });
    const pendingOf = (runId: string) =>
      until(async () => {
        const list = (await world.api('GET', '/approvals?status=pending', world.tokenOf('pat'))).body.approvals as Array<{
          runId: string;
          approvalId: string;
          quorum?: number;
        }>;
        return list.find((a) => a.runId === runId);
      }, 15_000);
    const approve = (approvalId: string, as: string) =>
      world.api('POST', `/approvals/${approvalId}`, world.tokenOf(as), { decision: 'approve' });

    const big = await startRun([{ toolCalls: [refund(15_000)] }, { text: 'done' }], world.tokenOf('rita'));
    const asked = await pendingOf(big);
    expect(asked.quorum).toBe(2);
    await approve(asked.approvalId, 'pat');
    // One yes of two: the run still waits.
    expect((await run(big)).status).toBe('WAITING_FOR_APPROVAL');
    await approve(asked.approvalId, 'quinn');
    const done = await settled(big, 'SUCCEEDED');
    expect(done.calls.map((c) => `${c.tool}:${c.status}`)).toEqual(['refund_order:executed']);

    const small = await startRun([{ toolCalls: [refund(2_000)] }, { text: 'done' }], world.tokenOf('rita'));
    const one = await pendingOf(small);
    expect(one.quorum ?? 1).toBe(1);
    await approve(one.approvalId, 'pat');
    expect((await settled(small, 'SUCCEEDED')).calls.map((c) => `${c.tool}:${c.status}`)).toEqual(['refund_order:executed']);
  });

  it("counts an MCP session's calls from its audit records, as the loop counts a run's", async () => {
    const { client, close } = await world.mcpClient(admin());
    try {
      const lookup = async () =>
        (await client.callTool({ name: 'lookup_order', arguments: { orderId: 'ORD-104233' } })) as {
          isError?: boolean;
          content: Array<{ text: string }>;
        };
      for (let i = 0; i < 3; i += 1) expect((await lookup()).isError).toBeFalsy();
      const fourth = await lookup();
      expect(fourth.isError).toBe(true);
      expect(fourth.content[0]?.text).toContain('at-most-three-lookups');
    } finally {
      await close();
    }
  });

  it('screens MCP calls with the same policies', async () => {
    const { client, close } = await world.mcpClient(admin());
    try {
      const refused = (await client.callTool({ name: 'lookup_order', arguments: { orderId: 'ORD-104231' } })) as {
        isError?: boolean;
        content: Array<{ text: string }>;
      };
      expect(refused.isError).toBe(true);
      expect(refused.content[0]?.text).toContain('POLICY_DENIED');
      expect(refused.content[0]?.text).toContain('no-lookups-of-order-104231');
      const allowed = (await client.callTool({ name: 'lookup_order', arguments: { orderId: 'ORD-104233' } })) as { isError?: boolean };
      expect(allowed.isError).toBeFalsy();
    } finally {
      await close();
    }
  });
});
