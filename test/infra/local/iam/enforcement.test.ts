import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startingRun } from '#shared/runs/index.ts';
import type { AnyTool } from '#shared/tool/index.ts';
import { toolCatalog } from '#functions/tools/catalog.ts';
import { startDemoSystem, type DemoSystem } from '../../../../infra/local/demo-app.ts';
import { recordApproval } from '../../../support/demo-approval.ts';

const lookupOrder = toolCatalog.resolve('lookup_order') as AnyTool;
// The declaration a developer might write by mistake: the orders table write-only.
const withoutRead = { ...lookupOrder, resources: [{ kind: 'table', table: 'Orders', access: 'write' }] } as AnyTool;

// Mistakes a developer can make: delete_document declared as only reading its documents, send_email
// declared without its sender.
const withoutStorage = toolCatalog.tools.map((t) => {
  if (t.name === 'delete_document') return { ...t, resources: [{ kind: 'documents', access: 'read' }] };
  if (t.name === 'send_email') return { ...t, resources: [] };
  return t;
}) as AnyTool[];

/** One call straight into a tool's function, as the state machine's task makes it. */
const invoke = (
  system: DemoSystem,
  tool: string,
  args: unknown,
  extra: Record<string, unknown> = {},
  caller = { userId: 'uma', groups: ['user'] },
) =>
  system.tools[tool]!({ runId: `run-iam-direct-${tool}`, callId: 'c1-1', tool, caller, arguments: args, ...extra }, {
    awsRequestId: 'r',
    functionName: tool,
    getRemainingTimeInMillis: () => 10_000,
  } as never);

/** Records a decided approval for one call of `tool` (the run `invoke` calls it in), by another approver. */
const approveCall = (system: DemoSystem, tool: string, args: unknown) =>
  recordApproval(system, { runId: `run-iam-direct-${tool}`, callId: 'c1-1', tool, args, requestedBy: 'adam' });

let count = 0;
const runLookup = async (system: DemoSystem) => {
  const runId = `run-iam-${process.pid}-${++count}`;
  const script = {
    provider: 'scripted' as const,
    turns: [{ toolCalls: [{ name: 'lookup_order', arguments: { orderId: 'ORD-104233' } }] }, { text: 'Done.' }],
  };
  await system.runs.create(startingRun({ runId, owner: 'uma', groups: ['user'], input: 'Where is my order?', maxIterations: 5, script }));
  await system.deps.startExecution(runId);
  await system.executions.get(runId)?.finished;
  return { snapshot: await system.runs.load(runId), audit: await system.deps.audit.listByRun(runId) };
};

describe("the local system enforces each function's synthesized IAM policy", () => {
  let granted: DemoSystem;
  let weakened: DemoSystem;
  beforeAll(async () => {
    granted = await startDemoSystem({});
    weakened = await startDemoSystem({ tools: toolCatalog.tools.map((t) => (t.name === 'lookup_order' ? withoutRead : t)) });
  });
  afterAll(async () => Promise.all([granted.stop(), weakened.stop()]));

  it('runs a tool whose declaration grants what it uses', async () => {
    const { snapshot } = await runLookup(granted);
    expect(snapshot?.calls).toEqual([expect.objectContaining({ tool: 'lookup_order', status: 'executed' })]);
    expect(granted.iam.denials()).toEqual([]);
  });

  it('denies a tool declared without the grant it needs with AccessDenied, and the call ends as it would on AWS', async () => {
    const { snapshot, audit } = await runLookup(weakened);
    expect(weakened.iam.denials()).toContainEqual({
      functionName: 'lookup_order',
      action: 'dynamodb:GetItem',
      resource: expect.stringMatching(/:table\/local-(?:[0-9a-f]+-)?Orders$/),
    });
    // Failed, audited, and nothing of the order returned as data.
    expect(snapshot?.calls).toEqual([
      expect.objectContaining({ tool: 'lookup_order', status: 'failed', code: expect.stringMatching(/^(TOOL_FAILED|INTERNAL)$/) }),
    ]);
    expect(audit).toEqual([expect.objectContaining({ tool: 'lookup_order', status: 'failed' })]);
    const toolMessage = snapshot?.messages.find((m) => m.role === 'tool');
    expect(JSON.stringify(toolMessage)).not.toContain('ORD-104233","status');
    expect(toolMessage).toMatchObject({ results: [{ result: { ok: false } }] });
  });

  describe('S3 and SES, on the embedded services', () => {
    let bare: DemoSystem;
    beforeAll(async () => {
      bare = await startDemoSystem({ tools: withoutStorage });
    });
    afterAll(async () => bare.stop());
    const email = { to: 'jane@example.com', subject: 'Hello', body: 'Hi Jane.' };
    const admin = { userId: 'adam', groups: ['admin'] };

    it('reads a document from S3 and sends mail through SES v2 with the grants the declaration gives', async () => {
      expect(await invoke(granted, 'read_document', { path: 'policies/leave-policy.md' })).toMatchObject({
        ok: true,
        data: { text: expect.stringContaining('28 days') },
      });
      const approvalId = await approveCall(granted, 'send_email', email);
      const sent = await invoke(granted, 'send_email', email, { approvalId }, admin);
      expect(sent).toMatchObject({ ok: true });
      expect(await granted.sentMail()).toContainEqual(
        expect.objectContaining({
          messageId: (sent as { data: { messageId: string } }).data.messageId,
          from: 'agent@example.com',
          subject: 'Hello',
        }),
      );
      expect(granted.iam.denials()).toEqual([]);
    });

    it('denies S3 DeleteObject to a tool declared as only reading documents: nothing is deleted', async () => {
      const args = { path: 'policies/expense-policy.md' };
      const approvalId = await approveCall(bare, 'delete_document', args);
      expect(await invoke(bare, 'delete_document', args, { approvalId }, admin)).toMatchObject({
        ok: false,
        error: { code: 'TOOL_FAILED', retryable: true },
      });
      expect(bare.iam.denials()).toEqual([
        {
          functionName: 'delete_document',
          action: 's3:DeleteObject',
          resource: 'arn:aws:s3:::local-documents/documents/policies/expense-policy.md',
        },
      ]);
      expect(await bare.documents.exists('policies/expense-policy.md')).toBe(true);
    });

    it('fails a tool declared without its sender at cold start, as its Lambda would (no SENDER_EMAIL, no grant): nothing is sent', async () => {
      const approvalId = await approveCall(bare, 'send_email', email);
      await expect(invoke(bare, 'send_email', email, { approvalId }, admin)).rejects.toMatchObject({
        name: 'Runtime.InitError',
        message: expect.stringContaining('no SENDER_EMAIL'),
      });
      expect(await bare.sentMail()).toEqual([]);
    });
  });
});
