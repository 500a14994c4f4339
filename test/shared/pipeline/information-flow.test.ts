import { describe, expect, it } from 'vitest';
import { approvedBy, guard, nextCallId } from '../../support/guard-harness.ts';
import { testTool } from '../../support/test-tool.ts';
import { useGuardWorld } from '../../support/guard-world.ts';

// A sink's own check of the run's label (defence in depth, as for roles): the loop screens first,
// and the tool function refuses again whatever reaches it without what the label requires.
const world = useGuardWorld();
const label = { tool: 'read_document', callId: 'c1-1' };

const sinkGuarded = (name: string, informationFlow?: 'approve' | 'refuse' | 'off') => {
  const { tool, executions } = testTool({ name, reaches: 'external', sinkArguments: { text: ['prompt'] } });
  return { tool, executions, guarded: guard(tool, {}, world.db.client, world.tables, informationFlow ? { informationFlow } : {}) };
};

describe('a sink behind the pipeline', () => {
  it('runs as any read tool in a run with no untrusted content: no approval asked for', async () => {
    const { guarded, executions } = sinkGuarded('send_clean_note');
    expect(await guarded.call({ text: 'a' }, { groups: ['user'] })).toEqual({ ok: true, data: { echoed: 'a' } });
    expect(executions).toHaveLength(1);
  });

  it('needs an approval bound to the call once the run is labelled, and then runs once', async () => {
    const { tool, guarded, executions } = sinkGuarded('send_labelled_note');
    const callId = nextCallId();
    const call = { runId: 'run-flow', callId, userId: 'uma', groups: ['user'], untrusted: label };
    expect(await guarded.call({ text: 'b' }, call)).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
    expect(executions).toHaveLength(0);
    const approvalId = await approvedBy(world.db.client, world.tables.approvals, {
      runId: 'run-flow',
      callId,
      tool: tool.name,
      args: { text: 'b' },
    });
    expect(await guarded.call({ text: 'b' }, { ...call, approvalId })).toEqual({ ok: true, data: { echoed: 'b' } });
    expect(await guarded.call({ text: 'b' }, { ...call, approvalId })).toEqual({ ok: true, data: { echoed: 'b' } });
    expect(executions).toHaveLength(1);
  });

  it('refuses a labelled call outright in the strict mode, approval or not', async () => {
    const { tool, guarded, executions } = sinkGuarded('send_strict_note', 'refuse');
    const callId = nextCallId();
    const approvalId = await approvedBy(world.db.client, world.tables.approvals, {
      runId: 'run-strict',
      callId,
      tool: tool.name,
      args: { text: 'c' },
    });
    expect(
      await guarded.call({ text: 'c' }, { runId: 'run-strict', callId, userId: 'uma', groups: ['user'], untrusted: label, approvalId }),
    ).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED', message: expect.stringContaining('is refused in this run') } });
    expect(executions).toHaveLength(0);
  });

  it('leaves a labelled call alone where the deployment turned the control off', async () => {
    const { guarded, executions } = sinkGuarded('send_unchecked_note', 'off');
    expect(await guarded.call({ text: 'd' }, { groups: ['user'], untrusted: label })).toEqual({ ok: true, data: { echoed: 'd' } });
    expect(executions).toHaveLength(1);
  });

  it('runs a labelled call whose sink arguments the loop found vouched for, and only with vouchers its declaration accepts', async () => {
    const { guarded, executions } = sinkGuarded('send_vouched_note');
    const call = { runId: 'run-vouched', userId: 'uma', groups: ['user'], untrusted: label };
    expect(await guarded.call({ text: 'e' }, { ...call, vouchedBy: { text: 'prompt' } })).toEqual({ ok: true, data: { echoed: 'e' } });
    // A voucher the declaration does not name for the argument, or none for it, is no voucher: the call waits for a person.
    for (const vouchedBy of [{ text: 'record:payee' }, { other: 'prompt' }] as Array<Record<string, string>>)
      expect(await guarded.call({ text: 'f' }, { ...call, vouchedBy })).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
    expect(executions).toEqual([{ text: 'e' }]);
  });

  it('refuses a labelled call in the strict mode unless it is vouched for', async () => {
    const { guarded, executions } = sinkGuarded('send_strict_vouched_note', 'refuse');
    const call = { runId: 'run-strict-vouched', userId: 'uma', groups: ['user'], untrusted: label };
    expect(await guarded.call({ text: 'g' }, call)).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
    expect(await guarded.call({ text: 'g' }, { ...call, vouchedBy: { text: 'prompt' } })).toEqual({ ok: true, data: { echoed: 'g' } });
    expect(executions).toEqual([{ text: 'g' }]);
  });
});
