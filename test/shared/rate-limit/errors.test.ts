import { describe, expect, it } from 'vitest';
import { RateLimitedError } from '#shared/rate-limit/errors.ts';
import { ErrorCode } from '#shared/tool-result/index.ts';

describe('RateLimitedError', () => {
  it('tells the caller whose bucket ran out, and when to come back, in whole seconds rounded up', () => {
    const user = new RateLimitedError('user', 'lookup_order', 1500);
    expect([user.name, user.code, user.scope, user.message, user.suggestion, user.retryable, user.retryAfterMs]).toEqual([
      'RateLimitedError',
      ErrorCode.RATE_LIMITED,
      'user',
      'You are calling lookup_order too often.',
      'Wait 2 s before calling lookup_order again, or continue without it.',
      true,
      1500,
    ]);
    const tool = new RateLimitedError('tool', 'lookup_order', 1000);
    expect([tool.scope, tool.message, tool.suggestion]).toEqual([
      'tool',
      'lookup_order is receiving too many calls right now.',
      'Wait 1 s before calling lookup_order again, or continue without it.',
    ]);
  });

  it('lets options override its defaults', () => {
    expect(new RateLimitedError('user', 'lookup_order', 1000, { suggestion: 'Ask later.' }).suggestion).toBe('Ask later.');
  });
});
