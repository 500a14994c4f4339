import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunStatus } from '#shared/runs/run-record.ts';
import type { AnyTool } from '#shared/tool/define-tool.ts';
import { toolCatalog } from '#functions/tools/catalog.ts';
import { startLocalSystem, type LocalSystem } from '../../../../infra/local/local-system.ts';

const lookupOrder = toolCatalog.resolve('lookup_order') as AnyTool;
// The declaration a developer might write by mistake: the orders table write-only.
const withoutRead = { ...lookupOrder, resources: [{ kind: 'table', table: 'Orders', access: 'write' }] } as AnyTool;

let count = 0;
const runLookup = async (system: LocalSystem) => {
  const runId = `run-iam-${process.pid}-${++count}`;
  const now = new Date().toISOString();
  const script = { provider: 'scripted' as const, turns: [{ toolCalls: [{ name: 'lookup_order', arguments: { orderId: 'ORD-104233' } }] }, { text: 'Done.' }] };
  await system.runs.create({ runId, owner: 'uma', groups: ['user'], input: 'Where is my order?', maxIterations: 5, iteration: 0, status: RunStatus.RUNNING, script, createdAt: now, updatedAt: now });
  await system.deps.startExecution(runId);
  await system.executions.get(runId)?.finished;
  return { snapshot: await system.runs.load(runId), audit: await system.deps.audit.listByRun(runId) };
};

describe('the local system enforces each function\'s synthesized IAM policy', () => {
  let granted: LocalSystem;
  let weakened: LocalSystem;
  beforeAll(async () => {
    granted = await startLocalSystem({});
    weakened = await startLocalSystem({ tools: toolCatalog.tools.map((t) => (t.name === 'lookup_order' ? withoutRead : t)) });
  });
  afterAll(async () => Promise.all([granted.stop(), weakened.stop()]));

  it('runs a tool whose declaration grants what it uses', async () => {
    const { snapshot } = await runLookup(granted);
    expect(snapshot?.calls).toEqual([expect.objectContaining({ tool: 'lookup_order', status: 'executed' })]);
    expect(granted.iam.denials()).toEqual([]);
  });

  it('denies a tool declared without the grant it needs with AccessDenied, and the call ends as it would on AWS', async () => {
    const { snapshot, audit } = await runLookup(weakened);
    expect(weakened.iam.denials()).toContainEqual({ functionName: 'lookup_order', action: 'dynamodb:GetItem', resource: expect.stringMatching(/:table\/local-(?:[0-9a-f]+-)?Orders$/) });
    // Failed, audited, and nothing of the order returned as data.
    expect(snapshot?.calls).toEqual([expect.objectContaining({ tool: 'lookup_order', status: 'failed', code: expect.stringMatching(/^(TOOL_FAILED|INTERNAL)$/) })]);
    expect(audit).toEqual([expect.objectContaining({ tool: 'lookup_order', status: 'failed' })]);
    const toolMessage = snapshot?.messages.find((m) => m.role === 'tool');
    expect(JSON.stringify(toolMessage)).not.toContain('ORD-104233","status');
    expect(toolMessage).toMatchObject({ results: [{ result: { ok: false } }] });
  });
});
