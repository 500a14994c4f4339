import { describe, expect, it } from 'vitest';
import { screenTurn } from '../../../functions/orchestration/call-model/screen-turn.ts';
import { toolCatalog } from '../../../functions/tools/catalog.ts';
import { compilePolicies } from '#shared/policies/index.ts';
import { RunStatus, type RunRecord } from '#shared/runs/index.ts';

// What the policies read beyond the run is read once per turn and kept on the run (`screenedWith`):
// screening from it is pure, so a repeated step decides exactly as the first.
const POLICIES = `@id("three-reads-an-hour")
forbid (principal, action == GuardedAgents::Action::"read_document", resource) when { context.lastHour.calls >= 3 };

@id("fetch-after-pat")
forbid (principal, action == GuardedAgents::Action::"fetch_url", resource)
unless { context.approvals.contains({ tool: "create_ticket", by: "pat" }) };

@id("lookups-under-a-dollar")
forbid (principal, action == GuardedAgents::Action::"lookup_order", resource) when { context.run has usd && context.run.usd.greaterThan(decimal("0.01")) };`;

const run = (over: Partial<RunRecord> = {}): RunRecord => ({
  runId: 'run-1',
  owner: 'uma',
  groups: ['admin'],
  input: 'x',
  maxIterations: 10,
  iteration: 0,
  status: RunStatus.RUNNING,
  createdAt: '2026-12-06T10:00:00.000Z',
  updatedAt: '2026-12-06T10:00:00.000Z',
  ...over,
});
const read = (i: number) => ({ id: `m${i}`, name: 'read_document', arguments: { path: 'policies/leave-policy.md' } });
const fetch = { id: 'f', name: 'fetch_url', arguments: { url: 'https://example.com/status' } };
const lookup = { id: 'l', name: 'lookup_order', arguments: { orderId: 'ORD-104233' } };

describe('screening a turn with what the policies read of the audit trail', async () => {
  const policies = await compilePolicies([{ file: 'before.cedar', text: POLICIES }], toolCatalog.tools);
  const deps = {
    registry: toolCatalog,
    functionNameOf: (tool: string) => `fn-${tool}`,
    policies,
    prices: { inputPerMillion: 1000, outputPerMillion: 1000 },
  };
  const screen = (r: RunRecord, calls: Array<{ id: string; name: string; arguments: unknown }>) =>
    screenTurn(deps, r, 1, calls, undefined, new Date('2026-12-06T10:00:00Z'));
  const outcome = (turn: ReturnType<typeof screen>) => turn.calls.map((c) => `${c.tool}:${c.status}`);

  it("counts the hour before the turn and the turn's own calls that go on, and sends the count with each call", () => {
    const turn = screen(run({ screenedWith: { lastHour: { read_document: 1 } } }), [read(1), read(2), read(3)]);
    expect(outcome(turn)).toEqual(['read_document:running', 'read_document:running', 'read_document:rejected']);
    expect(turn.execute.map((item) => item.invocation.history?.lastHour)).toEqual([1, 2]);
    expect(turn.refused[0]?.history?.lastHour).toBe(3);
  });

  it('refuses what it could not read (fails closed), and reads approvals only for the tools whose policies do', () => {
    expect(outcome(screen(run(), [read(1)]))).toEqual(['read_document:rejected']);
    expect(outcome(screen(run(), [fetch]))).toEqual(['fetch_url:rejected']);
    const approved = screen(run({ screenedWith: { approvals: [{ tool: 'create_ticket', by: 'pat' }] } }), [fetch, read(1)]);
    expect(outcome(approved)).toEqual(['fetch_url:running', 'read_document:rejected']);
    expect(approved.execute[0]?.invocation.history?.approvals).toEqual([{ tool: 'create_ticket', by: 'pat' }]);
  });

  it("reads the run's spend in dollars at the deployment's prices", () => {
    const spent = (tokens: number) => run({ usage: { inputTokens: tokens, outputTokens: 0, modelCalls: 1 } });
    expect(outcome(screen(spent(10), [lookup]))).toEqual(['lookup_order:running']);
    expect(outcome(screen(spent(11), [lookup]))).toEqual(['lookup_order:rejected']);
  });
});
