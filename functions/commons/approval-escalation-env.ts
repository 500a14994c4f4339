import { jsonFromEnv } from './json-env.ts';
import { type ApprovalEscalation, approvalEscalationSchema } from '../../shared/approval/index.ts';

import { APPROVAL_ESCALATION_GROUP_ENV } from './escalation-group-env.ts';

/** RequestApproval and the API: GuardedAgent's `approvalEscalation`, as JSON. Its own constant, so tool bundles leave FunctionEnv out. */
export const APPROVAL_ESCALATION_ENV = 'APPROVAL_ESCALATION';

/** The deployment's escalation from a function's environment; a malformed one fails the cold start with the variable's name. */
export const approvalEscalationFrom = (env: Readonly<Record<string, string | undefined>>): ApprovalEscalation | undefined =>
  jsonFromEnv(env, APPROVAL_ESCALATION_ENV, approvalEscalationSchema);

/** `{ escalationGroup? }` for an approvals store or a tool's approval gate, from the function's environment. */
export const escalationGroupOf = (env: Readonly<Record<string, string | undefined>>): { readonly escalationGroup?: string } => {
  const group = env[APPROVAL_ESCALATION_GROUP_ENV] ?? approvalEscalationFrom(env)?.group;
  return group ? { escalationGroup: group } : {};
};

/** `{ escalation? }` for the API's dependencies, from the function's environment. */
export const escalationOf = (env: Readonly<Record<string, string | undefined>>): { readonly escalation?: ApprovalEscalation } => {
  const escalation = approvalEscalationFrom(env);
  return escalation ? { escalation } : {};
};
