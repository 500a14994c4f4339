import { ErrorCode } from './codes.ts';
import { isToolError } from './errors.ts';

/**
 * A failed tool result: its code, message, suggestion and whether to retry, as the model sees it.
 */
export interface ToolFailure {
  readonly code: ErrorCode;
  readonly message: string;
  readonly suggestion: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
}

/** Edit, then approve: the model is told that the call ran with an approver's arguments, and which. */
export interface ApproverEdit {
  readonly arguments: unknown;
  readonly note: string;
}

/** What the model sees for one call (DESIGN.md, "Tool result"). */
export type ToolResult<T = unknown> = ({ readonly ok: true; readonly data: T } | { readonly ok: false; readonly error: ToolFailure }) & {
  readonly editedByApprover?: ApproverEdit;
};

/** What a tool answers the state machine on success: the data itself stays in the idempotency record. */
export interface ToolReceipt {
  readonly ok: true;
  readonly receipt: true;
}

/** A successful tool result, as the model sees it. */
export const success = <T>(data: T): ToolResult<T> => ({ ok: true, data });

/**
 * Turns anything thrown into the failure the model may see. Only `ToolError`s keep their message:
 * any other error may carry internals (SQL, paths, secrets), so it becomes a generic `INTERNAL`.
 */
export const failureOf = (error: unknown): ToolFailure => {
  if (isToolError(error)) {
    return {
      code: error.code,
      message: error.message,
      suggestion: error.suggestion,
      retryable: error.retryable,
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: Math.max(0, Math.ceil(error.retryAfterMs)) }),
    };
  }
  return {
    code: ErrorCode.INTERNAL,
    message: 'The tool call failed inside the platform.',
    suggestion: 'Try again later; tell the user if it persists.',
    retryable: true,
  };
};

/** A failed tool result, as the model sees it. */
export const failure = (error: unknown): ToolResult<never> => ({ ok: false, error: failureOf(error) });

/**
 * What the state machine hands back for a tool function that failed as a Lambda (its sandbox died,
 * it timed out as a whole) instead of answering with a result. One definition for the state machine
 * that writes it and CallModel, which looks behind it at what the call left in its idempotency record.
 */
export const TOOL_CRASHED_FAILURE: ToolFailure = {
  code: 'INTERNAL',
  message: 'The tool function failed before it could answer.',
  suggestion: 'Try again later; tell the user if it persists.',
  retryable: true,
};

/** Whether a result is the state machine's answer for a crashed tool function. */
export const isToolCrash = (result: ToolResult | ToolReceipt): boolean =>
  !result.ok && result.error.code === TOOL_CRASHED_FAILURE.code && result.error.message === TOOL_CRASHED_FAILURE.message;
