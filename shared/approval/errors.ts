import { ErrorCode } from '../tool-result/codes.ts';
import { ToolError, type ToolErrorOptions } from '../tool-result/errors.ts';

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
      suggestion: 'Destructive tools run only after an approver other than the requester approves the call.',
      ...options,
    });
    this.name = 'ApprovalMissingError';
  }
}
