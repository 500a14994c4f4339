import { describe, expect, it } from 'vitest';
import { DynamoDbApprovalStore, type SlackNotifier } from '#shared/approval/index.ts';
import { DynamoDbAuditStore } from '#shared/audit/index.ts';
import { callMcpTool, type McpToolDeps } from '#functions/api/mcp/mcp-tools.ts';
import { DynamoDbMcpLabelStore } from '#functions/api/mcp/mcp-label-store.ts';
import { toolCatalog } from '#functions/tools/catalog.ts';
import { useGuardWorld } from '../../../support/guard-world.ts';

const world = useGuardWorld();
const adam = { userId: 'adam', groups: ['admin'] };
const email = { to: 'jane@example.com', subject: 'Refund', body: 'It is on its way.' };

/** MCP's tools/call as deployed with Slack on: the approvals' notifier is Slack's (here, one that records its notices). */
const depsWith = (notifier: Pick<SlackNotifier, 'postRequest'>, errors: unknown[] = []): McpToolDeps => ({
  registry: toolCatalog,
  openBreakers: async () => new Set(),
  invokeTool: async () => {
    throw new Error('a waiting call must not reach its tool');
  },
  approvals: new DynamoDbApprovalStore({ client: world.db.client, tableName: world.tables.approvals }),
  audit: new DynamoDbAuditStore({ client: world.db.client, tableName: world.tables.audit }),
  labels: new DynamoDbMcpLabelStore({ client: world.db.client, tableName: world.tables.guard }),
  approvalSeconds: 600,
  notifier,
  onNotifyError: (error) => errors.push(error),
});

describe('approvals asked for over MCP', () => {
  it('are posted to the approvers (Slack) as the loop posts its own, once however often the caller asks', async () => {
    const posted: Array<Record<string, unknown>> = [];
    const deps = depsWith({ postRequest: async (notice) => (posted.push({ ...notice }), { channel: 'C1', ts: '9.9' }) });
    const first = await callMcpTool(adam, 'session-notice', 'send_email', email, deps);
    const again = await callMcpTool(adam, 'session-notice', 'send_email', email, deps);
    const waiting = first.structuredContent as { status: string; approvalId: string };
    expect(waiting.status).toBe('awaiting_approval');
    expect(again.structuredContent).toMatchObject({ status: 'awaiting_approval', approvalId: waiting.approvalId });
    expect(posted).toEqual([
      expect.objectContaining({ approvalId: waiting.approvalId, tool: 'send_email', requestedBy: 'adam', runId: 'mcp-session-notice' }),
    ]);
    // Nobody waits on it: no task token is stored, and it says so.
    const stored = await deps.approvals.get(waiting.approvalId);
    expect(stored).toMatchObject({ notify: 'none' });
    expect(JSON.stringify(stored)).not.toContain('taskToken');
    // The message is remembered, so a decision updates it as for the loop's approvals.
    expect(await deps.approvals.get(waiting.approvalId)).toMatchObject({ status: 'PENDING', slackMessage: { channel: 'C1', ts: '9.9' } });
  });

  it('still wait for a decision over the API when Slack cannot be told, and say so', async () => {
    const errors: unknown[] = [];
    const deps = depsWith(
      {
        postRequest: async () => {
          throw new Error('slack is down');
        },
      },
      errors,
    );
    const answer = await callMcpTool(adam, 'session-slack-down', 'send_email', email, deps);
    const { approvalId } = answer.structuredContent as { approvalId: string };
    expect(answer.structuredContent).toMatchObject({ status: 'awaiting_approval' });
    expect(errors).toHaveLength(1);
    expect(await deps.approvals.get(approvalId)).toMatchObject({ status: 'PENDING' });
  });
});
