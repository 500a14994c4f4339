import { describe, expect, it } from 'vitest';
import { judgeBucket, planBucket } from '#shared/rate-limit/token-bucket.ts';

const plan = planBucket({ capacity: 3, refillPerMinute: 60 }); // one token a second, burst of 3

describe('planBucket', () => {
  it('turns capacity and refill into an interval and a burst tolerance', () => {
    expect(plan).toEqual({ intervalMs: 1000, toleranceMs: 2000 });
  });
});

describe('judgeBucket', () => {
  const now = 1_000_000;

  it('admits with a fresh write when there is no bucket yet or it has refilled', () => {
    expect(judgeBucket(undefined, now, plan)).toEqual({ admit: true, shape: 'fresh' });
    expect(judgeBucket(now - 5, now, plan)).toEqual({ admit: true, shape: 'fresh' });
    expect(judgeBucket(now, now, plan)).toEqual({ admit: true, shape: 'fresh' });
  });

  it('admits with a queued write while tokens remain in the burst', () => {
    expect(judgeBucket(now + 1, now, plan)).toEqual({ admit: true, shape: 'queued' });
    expect(judgeBucket(now + 2000, now, plan)).toEqual({ admit: true, shape: 'queued' });
  });

  it('rejects when the bucket is empty and says when the next token comes', () => {
    expect(judgeBucket(now + 2001, now, plan)).toEqual({ admit: false, retryAfterMs: 1 });
    expect(judgeBucket(now + 3000, now, plan)).toEqual({ admit: false, retryAfterMs: 1000 });
  });

  it('admits exactly the capacity in one instant when applied in sequence', () => {
    let tat: number | undefined;
    let admitted = 0;
    for (let i = 0; i < 10; i++) {
      const verdict = judgeBucket(tat, now, plan);
      if (!verdict.admit) continue;
      admitted++;
      tat = verdict.shape === 'fresh' ? now + plan.intervalMs : (tat as number) + plan.intervalMs;
    }
    expect(admitted).toBe(3);
  });
});
