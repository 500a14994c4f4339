import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DynamoDbAuditStore } from '#shared/audit/index.ts';
import { compilePolicies } from '#shared/policies/index.ts';
import { approvedBy, guard, nextCallId } from '../../support/guard-harness.ts';
import { testTool } from '../../support/test-tool.ts';
import { useGuardWorld } from '../../support/guard-world.ts';
import { printedLines } from '../../support/printed-lines.ts';

// The tool does not trust the loop: its own pipeline decides the deployment's policies again on
// the invocation it is given, and its audit record says which set decided what.
const world = useGuardWorld();
const HASH = 'f'.repeat(64);

const POLICIES = `@id("no-secret-notes")
forbid (principal, action == GuardedAgents::Action::"write_note", resource)
when { context.arguments.text like "*secret*" };

@id("two-for-urgent")
@approval("2")
forbid (principal, action == GuardedAgents::Action::"write_note", resource)
when { context.arguments.text like "urgent*" };

@id("notes-shadow")
@mode("shadow")
forbid (principal, action == GuardedAgents::Action::"write_note", resource)
unless { principal.groups.contains("admin") };
`;

describe("a tool's own check of the policies", () => {
  it('refuses what a policy forbids even when the loop let it through, and records the decision', async () => {
    const { tool, executions } = testTool({ name: 'write_note', risk: 'write' });
    const set = await compilePolicies([{ file: 'notes.cedar', text: POLICIES }], [tool], { hash: HASH });
    const guarded = guard(tool, {}, world.db.client, world.tables, { policies: { hash: HASH, set } });
    const runId = 'run-policies-forbid';
    const refused = await guarded.call({ text: 'a secret plan' }, { runId, callId: nextCallId(), groups: ['operator'] });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'POLICY_DENIED', message: 'write_note was refused by policy no-secret-notes.' },
    });
    expect(await guarded.call({ text: 'lunch at noon' }, { runId, callId: nextCallId(), groups: ['operator'] })).toMatchObject({
      ok: true,
    });
    expect(executions).toEqual([{ text: 'lunch at noon' }]);
    const records = await new DynamoDbAuditStore({ client: world.db.client, tableName: world.tables.audit }).listByRun(runId);
    expect(records.map((r) => r.policy)).toEqual([
      {
        hash: HASH,
        effect: 'forbid',
        deciding: ['no-secret-notes'],
        shadow: [{ id: 'notes-shadow', effect: 'forbid' }],
        groups: ['operator'],
      },
      { hash: HASH, effect: 'permit', shadow: [{ id: 'notes-shadow', effect: 'forbid' }], groups: ['operator'] },
    ]);
  });

  it('requires the approval a policy asks for, with its quorum, before the handler runs', async () => {
    const { tool, executions } = testTool({ name: 'write_note', risk: 'write' });
    const set = await compilePolicies([{ file: 'notes.cedar', text: POLICIES }], [tool], { hash: HASH });
    const guarded = guard(tool, {}, world.db.client, world.tables, { policies: { hash: HASH, set } });
    const runId = 'run-policies-approval';
    expect(await guarded.call({ text: 'urgent: call back' }, { runId, callId: nextCallId(), groups: ['operator'] })).toMatchObject({
      ok: false,
      error: { code: 'PERMISSION_DENIED' },
    });
    const approved = async (approvers: string[]) => {
      const callId = nextCallId();
      const approvalId = await approvedBy(
        world.db.client,
        world.tables.approvals,
        { runId, callId, tool: tool.name, args: { text: 'urgent: call back' } },
        approvers,
      );
      return guarded.call({ text: 'urgent: call back' }, { runId, callId, approvalId, userId: 'uma', groups: ['operator'] });
    };
    expect(await approved(['pat'])).toMatchObject({ ok: false, error: { message: expect.stringContaining('short-of-quorum') } });
    expect(executions).toHaveLength(0);
    expect(await approved(['pat', 'quinn'])).toMatchObject({ ok: true });
    expect(executions).toHaveLength(1);
  });

  it('records a tool no policy names as permitted under the set, without loading Cedar for it', async () => {
    const { tool } = testTool({ name: 'read_note' });
    const guarded = guard(tool, {}, world.db.client, world.tables, { policies: { hash: HASH } });
    const runId = 'run-policies-none';
    expect(await guarded.call({ text: 'hello' }, { runId, callId: nextCallId(), groups: ['operator'] })).toMatchObject({ ok: true });
    const [record] = await new DynamoDbAuditStore({ client: world.db.client, tableName: world.tables.audit }).listByRun(runId);
    expect(record?.policy).toEqual({ hash: HASH, effect: 'permit', groups: ['operator'] });
  });

  it('refuses to build a tool a policy may ask approval of without an approvals reader', async () => {
    const { tool } = testTool({ name: 'write_note', risk: 'write' });
    const set = await compilePolicies([{ file: 'notes.cedar', text: POLICIES }], [tool]);
    const { approvals: _approvals, ...withoutApprovals } = world.tables;
    expect(() => guard(tool, {}, world.db.client, withoutApprovals, { policies: { hash: set.hash, set } })).toThrow(
      /named by a policy that asks for approval/,
    );
  });
});

describe('shadow policies: recorded, never enforced', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('count their matches per policy as a metric, and the decision rides on the call span', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    const memory = new InMemorySpanExporter();
    // As startTracing registers them: a provider, and the context manager that makes a span active across awaits.
    trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: memory })] }));
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    try {
      const { tool, executions } = testTool({ name: 'write_note', risk: 'write' });
      const set = await compilePolicies([{ file: 'notes.cedar', text: POLICIES }], [tool], { hash: HASH });
      const metrics = new Metrics({ namespace: 'GuardedAgentsTest', serviceName: 'test' });
      const guarded = guard(tool, {}, world.db.client, world.tables, { policies: { hash: HASH, set }, metrics });
      const lines = await printedLines(() =>
        guarded.call({ text: 'lunch' }, { runId: 'run-shadow', callId: nextCallId(), groups: ['operator'] }),
      );
      expect(executions).toEqual([{ text: 'lunch' }]);
      const shadow = lines.filter((l) => l.includes('"PolicyShadowMatches"')).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(shadow).toEqual([expect.objectContaining({ policy: 'notes-shadow', effect: 'forbid', PolicyShadowMatches: 1 })]);
      const span = memory.getFinishedSpans().find((s) => s.name === 'execute_tool write_note');
      expect(span?.attributes).toMatchObject({
        'guarded_agents.policy.set': HASH,
        'guarded_agents.policy.effect': 'permit',
        'guarded_agents.policy.shadow': ['notes-shadow:forbid'],
      });
    } finally {
      trace.disable();
      context.disable();
    }
  });
});
