import { ErrorCode, GuardUnavailableError, ToolDeclinedError, ToolError } from '../tool-result/index.ts';

/**
 * CLOSED --(failureThreshold failures within windowMs)--> OPEN
 * OPEN --(cooldownMs elapsed; exactly one caller claims the probe)--> HALF_OPEN
 * HALF_OPEN --(probe succeeds)--> CLOSED;  HALF_OPEN --(probe fails)--> OPEN
 * A probe whose caller vanished (Lambda killed) is given up after `probeTimeoutMs`, so another
 * caller can claim one: the breaker never sticks half-open.
 */
export const BreakerState = {
  CLOSED: 'CLOSED',
  OPEN: 'OPEN',
  HALF_OPEN: 'HALF_OPEN',
} as const;
export type BreakerState = (typeof BreakerState)[keyof typeof BreakerState];

/**
 * A breaker's state as read: closed, open (until when) or half-open (until when its probe is given
 * up).
 */
export interface BreakerSnapshot {
  readonly state: BreakerState;
  /** OPEN: when the cooldown ends (epoch ms). */
  readonly openUntil?: number;
  /** HALF_OPEN: when the probe in flight is given up (epoch ms). */
  readonly probeUntil?: number;
}

export type BreakerVerdict =
  { readonly verdict: 'pass' } | { readonly verdict: 'claim-probe' } | { readonly verdict: 'reject'; readonly retryAfterMs: number };

/** What a call may do given the breaker's state. Pure. */
export const judgeBreaker = (snapshot: BreakerSnapshot, now: number): BreakerVerdict => {
  switch (snapshot.state) {
    case BreakerState.CLOSED:
      return { verdict: 'pass' };
    case BreakerState.OPEN: {
      const until = snapshot.openUntil ?? 0;
      return now >= until ? { verdict: 'claim-probe' } : { verdict: 'reject', retryAfterMs: until - now };
    }
    case BreakerState.HALF_OPEN: {
      const until = snapshot.probeUntil ?? 0;
      return now >= until ? { verdict: 'claim-probe' } : { verdict: 'reject', retryAfterMs: until - now };
    }
  }
};

/**
 * Which outcomes count against the breaker: timeouts, transport errors and handler errors do;
 * guard refusals (validation, permission, limits) and a tool declining a request (not found)
 * do not, so a model probing bad ids cannot open the breaker for everyone.
 */
export const countsAsFailure = (error: unknown): boolean => {
  if (!(error instanceof ToolError)) return true;
  // Declined requests are the tool working; a guard store that cannot answer (DynamoDB under
  // load, say) is the platform, not the tool: neither may cut the tool off for everyone.
  if (error instanceof ToolDeclinedError || error instanceof GuardUnavailableError) return false;
  return error.code === ErrorCode.TIMEOUT || error.code === ErrorCode.TOOL_FAILED || error.code === ErrorCode.INTERNAL;
};
