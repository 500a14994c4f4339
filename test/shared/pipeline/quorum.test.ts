import { describe, expect, it } from 'vitest';
import { approvedBy, guard, nextCallId } from '../../support/guard-harness.ts';
import { testTool } from '../../support/test-tool.ts';
import { useGuardWorld } from '../../support/guard-world.ts';

// A destructive tool with a quorum checks its approval against its own declaration: an approval
// with fewer distinct approvers than it declares never runs it, whatever the record says.
const world = useGuardWorld();

describe('a destructive tool declaring a quorum of 2', () => {
  it('refuses an approval one approver short, and runs once with two', async () => {
    const { tool, executions } = testTool({ name: 'delete_quorum_note', risk: 'destructive', quorum: 2 });
    const guarded = guard(tool, {}, world.db.client, world.tables);
    const callApprovedBy = async (approvers: string[]) => {
      const callId = nextCallId();
      const call = { runId: 'run-quorum', callId, tool: tool.name, args: { text: 'q' } };
      const approvalId = await approvedBy(world.db.client, world.tables.approvals, call, approvers);
      return guarded.call({ text: 'q' }, { runId: 'run-quorum', callId, userId: 'uma', approvalId });
    };
    expect(await callApprovedBy(['pat'])).toMatchObject({
      ok: false,
      error: { code: 'PERMISSION_DENIED', message: expect.stringContaining('short-of-quorum') },
    });
    expect(executions).toHaveLength(0);
    expect(await callApprovedBy(['pat', 'quinn'])).toEqual({ ok: true, data: { echoed: 'q' } });
    expect(executions).toHaveLength(1);
  });
});
