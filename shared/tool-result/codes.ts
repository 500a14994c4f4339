/**
 * The error codes a tool result may carry (DESIGN.md, "Tool result"). The model sees the code,
 * so the set is closed: a new failure mode maps onto one of these, it does not invent a code.
 */
export const ErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  PERMISSION_DENIED: 'PERMISSION_DENIED',
  UNKNOWN_TOOL: 'UNKNOWN_TOOL',
  RATE_LIMITED: 'RATE_LIMITED',
  CIRCUIT_OPEN: 'CIRCUIT_OPEN',
  TIMEOUT: 'TIMEOUT',
  APPROVAL_DENIED: 'APPROVAL_DENIED',
  APPROVAL_EXPIRED: 'APPROVAL_EXPIRED',
  TOOL_FAILED: 'TOOL_FAILED',
  INTERNAL: 'INTERNAL',
  /** Not made: a budget (the run's, or the user's or tenant's over a day or month) would be exceeded. */
  BUDGET_EXHAUSTED: 'BUDGET_EXHAUSTED',
  /** Refused by one of the deployment's policies (Cedar); the message names the deciding policy. */
  POLICY_DENIED: 'POLICY_DENIED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * What each code means for the call's status in `GET /runs/{id}` and in the audit trail.
 * `executed` is the success status; it has no code.
 */
export const CallStatus = {
  /** In flight: screened and sent to its tool, no result yet. */
  RUNNING: 'running',
  EXECUTED: 'executed',
  REPLAYED: 'replayed',
  REJECTED: 'rejected',
  AWAITING_APPROVAL: 'awaiting_approval',
  DENIED: 'denied',
  EXPIRED: 'expired',
  RATE_LIMITED: 'rate_limited',
  CIRCUIT_OPEN: 'circuit_open',
  TIMED_OUT: 'timed_out',
  FAILED: 'failed',
} as const;
export type CallStatus = (typeof CallStatus)[keyof typeof CallStatus];

/**
 * The call status an error code ends a call with (for the audit record and the run's calls).
 */
export const statusOfCode: Readonly<Record<ErrorCode, CallStatus>> = {
  VALIDATION_FAILED: CallStatus.REJECTED,
  PERMISSION_DENIED: CallStatus.REJECTED,
  UNKNOWN_TOOL: CallStatus.REJECTED,
  RATE_LIMITED: CallStatus.RATE_LIMITED,
  CIRCUIT_OPEN: CallStatus.CIRCUIT_OPEN,
  TIMEOUT: CallStatus.TIMED_OUT,
  APPROVAL_DENIED: CallStatus.DENIED,
  APPROVAL_EXPIRED: CallStatus.EXPIRED,
  TOOL_FAILED: CallStatus.FAILED,
  INTERNAL: CallStatus.FAILED,
  BUDGET_EXHAUSTED: CallStatus.RATE_LIMITED,
  POLICY_DENIED: CallStatus.REJECTED,
};
