import { describe, expect, it } from 'vitest';
import { approvalIdOf, ApprovalStatus } from '#shared/approval/index.ts';
import type { AuditRecord } from '#shared/audit/index.ts';
import { until, useLocalServer } from '../../support/local-server.ts';

// RequestApproval's function crashes once, after it recorded the approval, and an approver decides
// before the state machine takes the request again: the retry finds the approval decided and the
// call runs once, with its one decision on the record (deployed, the API's sweep answers the
// retry's token; locally the wait reads the stored decision as it starts).
let crashes = 0;
let decide: (() => Promise<unknown>) | undefined;
const world = useLocalServer({
  instrumentInvoke: async (functionName, invoke) => {
    const answer = await invoke();
    if (functionName === 'RequestApproval' && crashes === 0) {
      crashes += 1;
      await decide?.();
      throw Object.assign(new Error('the function ended without answering'), { name: 'Sandbox.Timedout' });
    }
    return answer;
  },
});

describe('an approval request that failed once', () => {
  it('is taken again: a decision sent before the retry reaches the run, and the call is made once', async () => {
    const email = { name: 'send_email', arguments: { to: 'jane@example.com', subject: 'Retried wait', body: 'Shipped.' } };
    const started = await world.api('POST', '/runs', world.tokenOfRole('admin'), {
      input: 'Email Jane',
      model: { provider: 'scripted', turns: [{ toolCalls: [email] }, { text: 'Sent.' }] },
    });
    const runId = started.body.runId as string;
    decide = async () => {
      const approvalId = (await world.system.deps.approvals.listPending()).find((a) => a.runId === runId)?.approvalId as string;
      const decided = await world.api('POST', `/approvals/${approvalId}`, world.tokenOfRole('approver'), { decision: 'approve' });
      expect(decided.status).toBe(200);
    };
    const run = await until(async () => {
      const current = (await world.api('GET', `/runs/${runId}`, world.tokenOfRole('admin'))).body;
      return current.status === 'SUCCEEDED' ? current : undefined;
    }, 20_000);
    expect(crashes).toBe(1);
    const call = (await world.system.deps.runs.load(runId))?.calls[0];
    expect(call).toMatchObject({ tool: 'send_email', status: 'executed' });
    expect((await world.system.approvals.get(approvalIdOf(runId, call?.callId as string)))?.status).toBe(ApprovalStatus.APPROVED);
    expect((await world.system.sentMail()).filter((m) => m.subject === 'Retried wait')).toHaveLength(1);
    const records = (await world.api('GET', `/runs/${runId}/audit`, world.tokenOfRole('admin'))).body.records as AuditRecord[];
    expect(records.filter((r) => r.status === 'approved')).toHaveLength(1);
    expect(run.output).toBe('Sent.');
  });
});
