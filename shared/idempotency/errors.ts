import { ErrorCode, ToolError, type ToolErrorOptions } from '../tool-result/index.ts';

/** The same (run, call) came back with different arguments: refused, never silently re-run. */
export class IdempotencyMismatchError extends ToolError {
  constructor(options: ToolErrorOptions = {}) {
    super(ErrorCode.VALIDATION_FAILED, 'This call id was already used with different arguments.', {
      suggestion: 'Use a new call id for a different call.',
      ...options,
    });
    this.name = 'IdempotencyMismatchError';
  }
}

/** The same call is still running elsewhere (a retry arrived early). */
export class IdempotencyInProgressError extends ToolError {
  constructor(retryAfterMs: number, options: ToolErrorOptions = {}) {
    super(ErrorCode.INTERNAL, 'An earlier attempt of this same call is still running.', {
      suggestion: 'Wait for the earlier attempt instead of repeating the call.',
      retryable: true,
      retryAfterMs,
      ...options,
    });
    this.name = 'IdempotencyInProgressError';
  }
}

/** No (run id, call id) to key on: refused rather than run without protection. */
export class IdempotencyKeyMissingError extends ToolError {
  constructor(options: ToolErrorOptions = {}) {
    super(ErrorCode.VALIDATION_FAILED, 'The call has no run id and call id, so it cannot be made idempotent.', options);
    this.name = 'IdempotencyKeyMissingError';
  }
}
