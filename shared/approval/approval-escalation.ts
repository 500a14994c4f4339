import * as z from 'zod/mini';

/**
 * Escalation: an approval that has waited `afterSeconds` without a decision is offered to a second
 * group as well (and its Slack channel), until it expires. Expiry still fails closed.
 */
export interface ApprovalEscalation {
  readonly afterSeconds: number;
  /** The second group: its members may decide escalated approvals (never their own calls). */
  readonly group: string;
  /** Where escalated approvals are posted. @default the approvals channel */
  readonly slackChannel?: string;
}

export const approvalEscalationSchema = z.strictObject({
  afterSeconds: z.int().check(z.minimum(1), z.maximum(86_400)),
  group: z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,64}$/)),
  slackChannel: z.optional(z.string().check(z.regex(/^[A-Z0-9]{9,12}$/))),
});
