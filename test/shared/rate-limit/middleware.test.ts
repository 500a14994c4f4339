import { describe, expect, it } from 'vitest';
import { toolItemKey, userToolItemKey } from '#shared/guard-table/index.ts';
import type { TakeResult } from '#shared/rate-limit/dynamodb-bucket-store.ts';
import { RateLimitedError } from '#shared/rate-limit/errors.ts';
import { rateLimit } from '#shared/rate-limit/middleware.ts';
import { admission, type GuardMiddleware } from '#shared/pipeline/middleware.ts';
import { throughMiddy } from '../../support/middy-harness.ts';

const limits = { perUser: { capacity: 2, refillPerMinute: 1 }, perTool: { capacity: 5, refillPerMinute: 1 } };
const admitted: TakeResult = { admitted: true, item: {}, roundTrips: 1 };
const refused = (retryAfterMs: number): TakeResult => ({ admitted: false, retryAfterMs, item: undefined, roundTrips: 1 });

/** A bucket store that answers each key as told and records the refunds. */
const fakeBuckets = (answers: Record<string, TakeResult>) => {
  const refunds: string[] = [];
  return {
    refunds,
    store: { take: async (key: string) => answers[key] ?? admitted, refund: async (key: string) => void refunds.push(key) },
  };
};

describe('rateLimit, alone through middy', () => {
  const userKey = userToolItemKey('alice', 'lookup_note');
  const toolKey = toolItemKey('lookup_note');

  it('lets the call through when both buckets admit it, and refunds nothing', async () => {
    const buckets = fakeBuckets({});
    expect(await throughMiddy(rateLimit({ store: buckets.store, tool: 'lookup_note', limits }))()).toEqual({ ran: true });
    expect(buckets.refunds).toEqual([]);
  });
  it('refunds the tool token when the user bucket refuses, and says when to retry', async () => {
    const buckets = fakeBuckets({ [userKey]: refused(1500) });
    const error = await throughMiddy(rateLimit({ store: buckets.store, tool: 'lookup_note', limits }))().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ scope: 'user', retryAfterMs: 1500, message: 'You are calling lookup_note too often.' });
    expect(buckets.refunds).toEqual([toolKey]);
  });
  it('refunds the user token when the tool bucket refuses', async () => {
    const buckets = fakeBuckets({ [toolKey]: refused(700) });
    await expect(throughMiddy(rateLimit({ store: buckets.store, tool: 'lookup_note', limits }))()).rejects.toMatchObject({
      retryAfterMs: 700,
    });
    expect(buckets.refunds).toEqual([userKey]);
  });
  it('refunds nothing when both refuse, and never runs the handler', async () => {
    const buckets = fakeBuckets({ [userKey]: refused(100), [toolKey]: refused(200) });
    let ran = false;
    await expect(
      throughMiddy(rateLimit({ store: buckets.store, tool: 'lookup_note', limits }), async () => (ran = true))(),
    ).rejects.toBeInstanceOf(RateLimitedError);
    expect([ran, buckets.refunds]).toEqual([false, []]);
  });
});

describe('rateLimit in an admission', () => {
  const refusing = (name: string): GuardMiddleware<unknown> => ({
    step: {
      name,
      start: async () => undefined,
      decide: async () => {
        throw new Error(`${name} refused`);
      },
    },
  });
  it('gives its tokens back when a guard that decides before it refuses (the limits were never reached)', async () => {
    const buckets = fakeBuckets({});
    await expect(
      throughMiddy(admission([refusing('approval'), rateLimit({ store: buckets.store, tool: 'lookup_note', limits })]))(),
    ).rejects.toThrow('approval refused');
    expect(buckets.refunds.sort()).toEqual([toolItemKey('lookup_note'), userToolItemKey('alice', 'lookup_note')].sort());
  });
  it('keeps them when a guard that decides after it refuses (the breaker): the call reached the limits', async () => {
    const buckets = fakeBuckets({});
    await expect(
      throughMiddy(admission([rateLimit({ store: buckets.store, tool: 'lookup_note', limits }), refusing('breaker')]))(),
    ).rejects.toThrow('breaker refused');
    expect(buckets.refunds).toEqual([]);
  });
  it('names itself when giving back fails', async () => {
    const failures: string[] = [];
    const store = { take: async () => admitted, refund: async () => Promise.reject(new Error('down')) };
    await expect(
      throughMiddy(
        admission([refusing('approval'), rateLimit({ store, tool: 'lookup_note', limits })], {
          onUndoError: (_e, step) => void failures.push(step),
        }),
      )(),
    ).rejects.toThrow('approval refused');
    expect(failures).toEqual(['rate-limit']);
  });
});
