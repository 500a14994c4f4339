import { describe, expect, it } from 'vitest';
import { BreakerState, type BreakerSnapshot } from '#shared/breaker/circuit-breaker.ts';
import { CircuitOpenError } from '#shared/breaker/errors.ts';
import { circuitBreaker } from '#shared/breaker/middleware.ts';
import { ToolFailedError } from '#shared/tool-result/errors.ts';
import { throughMiddy } from '../../support/middy-harness.ts';

const settings = { failureThreshold: 3, windowMs: 60_000, cooldownMs: 60_000 };
const NOW = 1_000_000;

/** A breaker store in a given state, whose probe claim wins or loses as told, recording every write. */
const fakeBreaker = (snapshot: BreakerSnapshot, probeWins = true) => {
  const writes: string[] = [];
  /** The failure threshold each recorded failure was judged against. */
  const thresholds: number[] = [];
  return {
    writes,
    thresholds,
    store: {
      read: async () => snapshot,
      claimProbe: async () => (writes.push('claimProbe'), probeWins),
      closeAfterProbe: async () => (writes.push('closeAfterProbe'), true),
      reopenAfterProbe: async () => (writes.push('reopenAfterProbe'), true),
      recordFailure: async (_tool: string, judged: { failureThreshold: number }) => (
        writes.push('recordFailure'),
        thresholds.push(judged.failureThreshold),
        false
      ),
    },
  };
};
const breaker = (fake: ReturnType<typeof fakeBreaker>, transitions: string[] = []) =>
  circuitBreaker({
    store: fake.store,
    tool: 'lookup_note',
    settings,
    probeTimeoutMs: 5000,
    now: () => NOW,
    onTransition: (to) => void transitions.push(to),
  });
const failing = async () => Promise.reject(new ToolFailedError('down', { retryable: true }));

describe('circuitBreaker, alone through middy', () => {
  it('passes while closed and records a failure that counts', async () => {
    const fake = fakeBreaker({ state: BreakerState.CLOSED });
    expect(await throughMiddy(breaker(fake))()).toEqual({ ran: true });
    await expect(throughMiddy(breaker(fake), failing)()).rejects.toBeInstanceOf(ToolFailedError);
    expect(fake.writes).toEqual(['recordFailure']);
  });
  it('records an ordinary failure against the threshold, and one no retry can mend against 1 (it opens at once)', async () => {
    const fake = fakeBreaker({ state: BreakerState.CLOSED });
    await expect(throughMiddy(breaker(fake), failing)()).rejects.toBeInstanceOf(ToolFailedError);
    const mendless = async () => Promise.reject(new ToolFailedError('changed', { opensBreaker: true }));
    await expect(throughMiddy(breaker(fake), mendless)()).rejects.toBeInstanceOf(ToolFailedError);
    expect(fake.thresholds).toEqual([3, 1]);
  });
  it('short-circuits while open, with the time left, and runs nothing', async () => {
    const fake = fakeBreaker({ state: BreakerState.OPEN, openUntil: NOW + 30_000 });
    let ran = false;
    const error = await throughMiddy(breaker(fake), async () => (ran = true))().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect([ran, (error as CircuitOpenError).retryAfterMs, fake.writes]).toEqual([false, 30_000, []]);
  });
  it('lets one probe through after the cooldown, and closes on its success', async () => {
    const fake = fakeBreaker({ state: BreakerState.OPEN, openUntil: NOW - 1 });
    const transitions: string[] = [];
    expect(await throughMiddy(breaker(fake, transitions))()).toEqual({ ran: true });
    expect([fake.writes, transitions]).toEqual([
      ['claimProbe', 'closeAfterProbe'],
      [BreakerState.HALF_OPEN, BreakerState.CLOSED],
    ]);
  });
  it('re-opens when the probe fails', async () => {
    const fake = fakeBreaker({ state: BreakerState.OPEN, openUntil: NOW - 1 });
    const transitions: string[] = [];
    await expect(throughMiddy(breaker(fake, transitions), failing)()).rejects.toBeInstanceOf(ToolFailedError);
    expect([fake.writes, transitions]).toEqual([
      ['claimProbe', 'reopenAfterProbe'],
      [BreakerState.HALF_OPEN, BreakerState.OPEN],
    ]);
  });
  it('refuses the caller that lost the probe to another', async () => {
    const fake = fakeBreaker({ state: BreakerState.OPEN, openUntil: NOW - 1 }, false);
    await expect(throughMiddy(breaker(fake))()).rejects.toBeInstanceOf(CircuitOpenError);
    expect(fake.writes).toEqual(['claimProbe']);
  });
});
