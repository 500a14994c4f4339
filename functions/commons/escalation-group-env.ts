/** Tools that check approvals: the escalation group alone (its members' decisions count once escalated). */
export const APPROVAL_ESCALATION_GROUP_ENV = 'APPROVAL_ESCALATION_GROUP';

/**
 * `{ escalationGroup? }` for a tool's approval gate: the group's name and nothing else, so tool
 * bundles carry no parser of the escalation's JSON (RequestApproval and the API read that).
 */
export const toolEscalationGroup = (env: Readonly<Record<string, string | undefined>>): { readonly escalationGroup?: string } => {
  const group = env[APPROVAL_ESCALATION_GROUP_ENV];
  return group ? { escalationGroup: group } : {};
};
