import { ErrorCode, ToolError, type ToolErrorOptions } from '../tool-result/index.ts';

export type BucketScope = 'user' | 'tool';

/** A bucket had no token. `retryAfterMs` says when one will be there. */
export class RateLimitedError extends ToolError {
  readonly scope: BucketScope;
  constructor(scope: BucketScope, tool: string, retryAfterMs: number, options: ToolErrorOptions = {}) {
    super(
      ErrorCode.RATE_LIMITED,
      scope === 'user' ? `You are calling ${tool} too often.` : `${tool} is receiving too many calls right now.`,
      {
        suggestion: `Wait ${Math.ceil(retryAfterMs / 1000)} s before calling ${tool} again, or continue without it.`,
        retryable: true,
        retryAfterMs,
        ...options,
      },
    );
    this.name = 'RateLimitedError';
    this.scope = scope;
  }
}
