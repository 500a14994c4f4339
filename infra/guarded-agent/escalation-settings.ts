import type { Duration } from 'aws-cdk-lib';
import { synthChecked } from './synth-check.ts';
import { type ApprovalEscalation, approvalEscalationSchema } from '../../shared/approval/index.ts';

/**
 * GuardedAgent's `approvalEscalation`, checked at synth (a synth error that says what is wrong,
 * never a deployment without it) and written as the functions read it.
 */
export const escalationSettings = (
  declared: { readonly after: Duration; readonly group: string; readonly slackChannel?: string } | undefined,
  approvalTimeout: Duration,
): ApprovalEscalation | undefined => {
  if (!declared) return undefined;
  const afterSeconds = declared.after.toSeconds();
  if (afterSeconds >= approvalTimeout.toSeconds())
    throw new Error(
      `GuardedAgent approvalEscalation.after (${afterSeconds} s) must be shorter than approvalTimeout (${approvalTimeout.toSeconds()} s): an approval is escalated before it expires`,
    );
  const escalation = { afterSeconds, group: declared.group, ...(declared.slackChannel ? { slackChannel: declared.slackChannel } : {}) };
  synthChecked('approvalEscalation', approvalEscalationSchema, escalation);
  return escalation;
};
