import { approvalIdOf } from '#shared/approval/index.ts';
import { hashCanonical } from '#shared/canonical-json/index.ts';
import type { DemoSystem } from '../../infra/local/demo-app.ts';

/** The call an approval is recorded for: its run, its id, the tool, its arguments and who asked. */
export interface ApprovedCall {
  readonly runId: string;
  readonly callId: string;
  readonly tool: string;
  readonly args: unknown;
  readonly requestedBy: string;
}

/**
 * Records a decided approval of one call on a local system, as the approval flow does: asked for,
 * then approved by another person (pat, an approver). Returns the approval's id.
 */
export const recordApproval = async (system: Pick<DemoSystem, 'approvalRequests' | 'approvals'>, call: ApprovedCall): Promise<string> => {
  const approvalId = approvalIdOf(call.runId, call.callId);
  await system.approvalRequests.create({
    approvalId,
    runId: call.runId,
    callId: call.callId,
    tool: call.tool,
    argsHash: hashCanonical(call.args),
    requestedBy: call.requestedBy,
    summary: '{}',
    shown: '{}',
    taskToken: 't',
    expiresAt: Math.floor(Date.now() / 1000) + 600,
    requestedAtMs: Date.now(),
  });
  await system.approvals.decide(approvalId, 'approve', { userId: 'pat', groups: ['approver'] });
  return approvalId;
};
