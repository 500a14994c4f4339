import { describe, expect, it } from 'vitest';
import { BreakerState, type BreakerSnapshot } from '#shared/breaker/circuit-breaker.ts';
import { CircuitOpenError } from '#shared/breaker/errors.ts';
import { circuitBreaker } from '#shared/breaker/middleware.ts';
import { ToolFailedError } from '#shared/tool-result/index.ts';
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
  it('refuses the caller that lost the probe to another, for as long as a probe may take', async () => {
    const fake = fakeBreaker({ state: BreakerState.OPEN, openUntil: NOW - 1 }, false);
    const error = await throughMiddy(breaker(fake))().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect([(error as CircuitOpenError).retryAfterMs, fake.writes]).toEqual([5000, ['claimProbe']]);
  });
  it('records nothing for a call it never let through, even one that failed before its decision', async () => {
    const fake = fakeBreaker({ state: BreakerState.CLOSED });
    fake.store.read = async () => Promise.reject(new Error('socket hang up'));
    await expect(throughMiddy(breaker(fake), failing)()).rejects.toThrow('socket hang up');
    expect(fake.writes).toEqual([]);
  });
  it('keeps the call’s own outcome when recording it fails, and reports the store’s error', async () => {
    for (const [snapshot, handler, write] of [
      [{ state: BreakerState.OPEN, openUntil: NOW - 1 }, async () => ({ ran: true }), 'closeAfterProbe'],
      [{ state: BreakerState.OPEN, openUntil: NOW - 1 }, failing, 'reopenAfterProbe'],
      [{ state: BreakerState.CLOSED }, failing, 'recordFailure'],
    ] as const) {
      const fake = fakeBreaker(snapshot);
      const lost = new Error(`${write} lost`);
      Object.assign(fake.store, { [write]: async () => Promise.reject(lost) });
      const storeErrors: unknown[] = [];
      const middleware = circuitBreaker({
        store: fake.store,
        tool: 'lookup_note',
        settings,
        probeTimeoutMs: 5000,
        now: () => NOW,
        onStoreError: (e) => void storeErrors.push(e),
      });
      const outcome = await throughMiddy(middleware, handler)().catch((e: unknown) => e);
      expect(outcome).toEqual(handler === failing ? expect.any(ToolFailedError) : { ran: true });
      expect(storeErrors).toEqual([lost]);
    }
  });
  it('refuses a probe timeout that is not positive, and names its admission step', () => {
    for (const probeTimeoutMs of [0, -1, Number.NaN]) {
      expect(() =>
        circuitBreaker({ store: fakeBreaker({ state: BreakerState.CLOSED }).store, tool: 't', settings, probeTimeoutMs }),
      ).toThrow(new TypeError('circuitBreaker: probeTimeoutMs must be positive'));
    }
    expect(breaker(fakeBreaker({ state: BreakerState.CLOSED })).step.name).toBe('breaker');
  });
});

describe('CircuitOpenError', () => {
  it('tells the model the tool is off and for how many whole seconds', () => {
    const error = new CircuitOpenError('lookup_note', 2500);
    expect([error.name, error.message, error.suggestion, error.retryAfterMs, error.retryable]).toEqual([
      'CircuitOpenError',
      'lookup_note is failing and has been switched off for now.',
      'Do not call lookup_note for 3 s; continue without it or tell the user it is unavailable.',
      2500,
      true,
    ]);
  });
});
