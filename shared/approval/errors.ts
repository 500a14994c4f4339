import { ErrorCode, ToolError, type ToolErrorOptions } from '../tool-result/index.ts';

/** A person with the approver role said no. */
export class ApprovalDeniedError extends ToolError {
  constructor(tool: string, options: ToolErrorOptions = {}) {
    super(ErrorCode.APPROVAL_DENIED, `A human approver denied this ${tool} call.`, {
      suggestion: 'Do not retry this call; tell the user it was denied and ask how to proceed.',
      ...options,
    });
    this.name = 'ApprovalDeniedError';
  }
}

/** Nobody decided in time. */
export class ApprovalExpiredError extends ToolError {
  constructor(tool: string, options: ToolErrorOptions = {}) {
    super(ErrorCode.APPROVAL_EXPIRED, `No approver decided on this ${tool} call in time.`, {
      suggestion: 'Tell the user the action is waiting for approval and was not done.',
      ...options,
    });
    this.name = 'ApprovalExpiredError';
  }
}

/** A destructive call arrived without a valid approval bound to it: it never runs. */
export class ApprovalMissingError extends ToolError {
  constructor(tool: string, reason: string, options: ToolErrorOptions = {}) {
    super(ErrorCode.PERMISSION_DENIED, `${tool} needs a recorded human approval for this exact call (${reason}).`, {
      suggestion:
        'Destructive tools, and sinks in a run that carries untrusted content, run only after an approver other than the requester approves the call.',
      ...options,
    });
    this.name = 'ApprovalMissingError';
  }
}

/** HTTP status for each refused decision: shown to the person deciding, never to the model. */
export const decisionRefusalStatus = {
  'not-found': 404,
  'not-an-approver': 403,
  'own-call': 403,
  'already-decided': 409,
  'already-voted': 409,
  expired: 409,
  'edit-needs-one-approver': 400,
  'edit-over-mcp': 400,
  'edit-needs-an-approver': 403,
  'delegation-needs-one-approver': 400,
  'delegate-cannot-delegate': 403,
  'view-in-full-first': 409,
} as const;

/** A decision on an approval was refused; `status` is the HTTP status the API answers with. */
export class ApprovalDecisionRefusedError extends Error {
  readonly reason: keyof typeof decisionRefusalStatus;
  readonly status: number;
  constructor(reason: keyof typeof decisionRefusalStatus) {
    const messages = {
      'not-found': 'No such approval.',
      'not-an-approver': 'Only members of the approver group may decide approvals.',
      'own-call': 'Nobody may approve a call of their own run.',
      'already-decided': 'This approval has already been decided.',
      'already-voted': 'You have approved this call already; it waits for another approver.',
      expired: 'This approval has expired.',
      'edit-needs-one-approver':
        'A call that needs several approvers cannot be edited (the votes so far approved its arguments): deny it and say what to ask for instead.',
      'edit-over-mcp':
        'A call asked for over MCP cannot be edited (its client calls again with its own arguments): deny it and say what to call instead.',
      'edit-needs-an-approver':
        "Only an approver may change a call's arguments: a colleague an approval was handed to approves or denies it as asked.",
      'delegation-needs-one-approver':
        'A call that needs several approvers cannot be handed on: each vote must come from an approver in person, so ask another approver to decide it.',
      'delegate-cannot-delegate':
        'An approval handed to you cannot be handed on again: approve or deny it yourself, or leave it for the approvers.',
      'view-in-full-first':
        "This call's arguments are longer than the short form shows: open its full view first (GET /approvals/{approvalId}, or the console), then approve.",
    } as const;
    super(messages[reason]);
    this.name = 'ApprovalDecisionRefusedError';
    this.reason = reason;
    this.status = decisionRefusalStatus[reason];
  }
}
