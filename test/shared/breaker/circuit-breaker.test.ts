import { describe, expect, it } from 'vitest';
import {
  ErrorCode,
  GuardUnavailableError,
  ToolDeclinedError,
  ToolError,
  ToolFailedError,
  ToolTimeoutError,
  ValidationFailedError,
} from '#shared/tool-result/index.ts';
import { BreakerState, countsAsFailure, judgeBreaker } from '#shared/breaker/circuit-breaker.ts';
import { RateLimitedError } from '#shared/rate-limit/index.ts';

describe('judgeBreaker', () => {
  const now = 10_000;
  it('passes calls while closed', () => {
    expect(judgeBreaker({ state: BreakerState.CLOSED }, now)).toEqual({ verdict: 'pass' });
  });
  it('rejects while open, with the time left', () => {
    expect(judgeBreaker({ state: BreakerState.OPEN, openUntil: now + 500 }, now)).toEqual({ verdict: 'reject', retryAfterMs: 500 });
  });
  it('asks for a probe claim once the cooldown is over', () => {
    expect(judgeBreaker({ state: BreakerState.OPEN, openUntil: now }, now)).toEqual({ verdict: 'claim-probe' });
  });
  it('rejects while a probe is in flight, and allows a new claim once the probe is given up', () => {
    expect(judgeBreaker({ state: BreakerState.HALF_OPEN, probeUntil: now + 1 }, now)).toEqual({ verdict: 'reject', retryAfterMs: 1 });
    expect(judgeBreaker({ state: BreakerState.HALF_OPEN, probeUntil: now }, now)).toEqual({ verdict: 'claim-probe' });
  });
});

describe('countsAsFailure', () => {
  it('counts timeouts, tool failures and unexpected errors', () => {
    expect(countsAsFailure(new ToolTimeoutError('t', 1))).toBe(true);
    expect(countsAsFailure(new ToolFailedError('x'))).toBe(true);
    expect(countsAsFailure(new TypeError('socket hang up'))).toBe(true);
    expect(countsAsFailure(new ToolError(ErrorCode.INTERNAL, 'the handler threw'))).toBe(true);
  });
  it('does not count guard refusals or declined requests', () => {
    expect(countsAsFailure(new ValidationFailedError('x'))).toBe(false);
    expect(countsAsFailure(new RateLimitedError('user', 't', 1))).toBe(false);
    expect(countsAsFailure(new ToolDeclinedError('not found'))).toBe(false);
  });
  it('does not count a guard store that cannot answer: that is the platform, not the tool', () => {
    expect(countsAsFailure(new GuardUnavailableError('The idempotency record could not be saved.'))).toBe(false);
  });
});
