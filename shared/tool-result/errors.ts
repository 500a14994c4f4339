import { ErrorCode } from './codes.ts';

/**
 * What a `ToolError` adds to its message: a suggestion for the model, whether and when to retry,
 * and whether it opens the breaker at once.
 */
export interface ToolErrorOptions {
  /** What the model (or its user) can do about it. Shown to the model. */
  readonly suggestion?: string;
  /** Whether the same call may succeed later unchanged. @default false */
  readonly retryable?: boolean;
  /** When a retry may succeed (rate limits, open breakers). */
  readonly retryAfterMs?: number;
  /**
   * A failure no retry can mend (a remote tool no longer what was declared): the breaker opens at
   * once instead of after `failureThreshold` failures, so the tool leaves the model's list. @default false
   */
  readonly opensBreaker?: boolean;
  readonly cause?: unknown;
}

/**
 * Base of every error a guard or a tool raises on purpose. Its message and suggestion are shown
 * to the model, so they must never hold a secret or a stack trace; `cause` is for the logs only.
 */
export class ToolError extends Error {
  readonly code: ErrorCode;
  readonly suggestion: string;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly opensBreaker: boolean;

  constructor(code: ErrorCode, message: string, options: ToolErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'ToolError';
    this.code = code;
    this.suggestion = options.suggestion ?? '';
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.opensBreaker = options.opensBreaker ?? false;
  }
}

/** Arguments did not match the tool's schema (or an envelope field was malformed). */
export class ValidationFailedError extends ToolError {
  constructor(message: string, options: ToolErrorOptions = {}) {
    super(ErrorCode.VALIDATION_FAILED, message, {
      suggestion: 'Fix the arguments to match the tool schema and call again.',
      ...options,
    });
    this.name = 'ValidationFailedError';
  }
}

/** The caller's role may not use this tool. */
export class PermissionDeniedError extends ToolError {
  constructor(message: string, options: ToolErrorOptions = {}) {
    super(ErrorCode.PERMISSION_DENIED, message, {
      suggestion: 'Use only the tools offered to you; ask a person with the right role if this one is needed.',
      ...options,
    });
    this.name = 'PermissionDeniedError';
  }
}

/** One of the deployment's policies forbids this call; the message names the policy that decided. */
export class PolicyDeniedError extends ToolError {
  constructor(message: string, options: ToolErrorOptions = {}) {
    super(ErrorCode.POLICY_DENIED, message, {
      suggestion: 'Do not retry this call as it is; tell the user which policy refused it.',
      ...options,
    });
    this.name = 'PolicyDeniedError';
  }
}

/** The tool name resolves to no declared tool. */
export class UnknownToolError extends ToolError {
  constructor(message: string, options: ToolErrorOptions = {}) {
    super(ErrorCode.UNKNOWN_TOOL, message, { suggestion: 'Call one of the tools listed in your tool list.', ...options });
    this.name = 'UnknownToolError';
  }
}

/**
 * The handler itself failed (its own error, not a guard's). Counts against the breaker.
 *
 * @example
 * throw new ToolFailedError('The ticketing system did not answer.', { retryable: true, retryAfterMs: 30_000 });
 */
export class ToolFailedError extends ToolError {
  constructor(message: string, options: ToolErrorOptions = {}) {
    super(ErrorCode.TOOL_FAILED, message, { suggestion: 'Try again later or use another approach.', ...options });
    this.name = 'ToolFailedError';
  }
}

/**
 * The tool is healthy but declines this request (not found, conflict, business rule). Shown to the
 * model like a failure, but it does not count against the breaker.
 *
 * @example
 * if (!order) throw new ToolDeclinedError(`No order ${orderId}.`, { suggestion: 'Check the order id with the user.' });
 */
export class ToolDeclinedError extends ToolError {
  constructor(message: string, options: ToolErrorOptions = {}) {
    super(ErrorCode.TOOL_FAILED, message, { suggestion: 'Check the arguments against what the user asked for.', ...options });
    this.name = 'ToolDeclinedError';
  }
}

/** The handler did not finish within the tool's timeout; it was aborted. Counts against the breaker. */
export class ToolTimeoutError extends ToolError {
  constructor(tool: string, timeoutMs: number, options: ToolErrorOptions = {}) {
    super(ErrorCode.TIMEOUT, `${tool} did not finish within ${timeoutMs} ms and was stopped.`, {
      suggestion: 'Try again later, or with a narrower request.',
      retryable: true,
      ...options,
    });
    this.name = 'ToolTimeoutError';
  }
}

/** A dependency of the guards (DynamoDB, configuration) failed: the call fails closed. */
export class GuardUnavailableError extends ToolError {
  constructor(message: string, options: ToolErrorOptions = {}) {
    super(ErrorCode.INTERNAL, message, {
      suggestion: 'The safety checks could not run, so the tool did not run. Try again in a minute; tell the user if it persists.',
      retryable: true,
      ...options,
    });
    this.name = 'GuardUnavailableError';
  }
}

/**
 * Whether an error is a deliberate `ToolError` of a handler (its message reaches the model), not
 * an unexpected one (a generic message does).
 */
export const isToolError = (error: unknown): error is ToolError => error instanceof ToolError;
