import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../infra/sim/simulate.ts';
import { overAdmitted } from '../../infra/sim/world-invariants.ts';
import { breakerInvariants } from '../../infra/sim/tool-failures.ts';
import { installSkewedClocks, onClock, trueNow } from '../../infra/sim/skewed-clocks.ts';
import type { AuditRecord } from '../../shared/audit/index.ts';
import type { AnyTool } from '../../shared/tool/index.ts';
import type { ScenarioName } from '../../infra/sim/sim-scenarios.ts';
import type { OutageScope } from '../../infra/sim/sim-world.ts';
import { REPO_ROOT } from '../../infra/cdk-app.ts';

// The fault simulation (npm run sim): the real handlers under the synthesized state machine and the
// API's approval routes, with DynamoDB, Lambda and decision faults injected by seed. CI runs a fixed
// slice and every seed that once found a bug.
const regressions = JSON.parse(readFileSync(join(REPO_ROOT, 'infra', 'sim', 'regression-seeds.json'), 'utf8')) as Array<{
  seed: number;
  rate: number;
  scenario: ScenarioName;
  outages?: OutageScope;
  found: string;
}>;

describe("the shared buckets' invariant", () => {
  const limit = { capacity: 3, refillPerMinute: 60 };
  it('flags more admissions than capacity and refill allow over a stretch, and nothing within them', () => {
    const at = (...starts: number[]) => starts.map((start) => ({ start, end: start + 5 }));
    // One a second refills one a second: 3 at once, then one a second, fits.
    expect(overAdmitted(at(0, 0, 0, 1000, 2000, 3000), limit)).toBeUndefined();
    expect(overAdmitted(at(0, 0, 0, 0), limit)).toEqual({ count: 4, spanMs: 5 });
    expect(overAdmitted(at(0, 0, 0, 1000, 1100, 1150), limit)).toEqual({ count: 5, spanMs: 1105 });
    // Admitted late in a long attempt: the refill in between covers it.
    expect(overAdmitted([...at(0, 0, 0), { start: 100, end: 1200 }], limit)).toBeUndefined();
  });
});

describe("the breakers' invariant", () => {
  const tool = { name: 'lookup_order', breaker: { failureThreshold: 3, windowMs: 10_000, cooldownMs: 5000 } } as AnyTool;
  const record = (callId: string, atMs: number, more: Partial<AuditRecord> = {}) =>
    ({ runId: 'r', callId, tool: 'lookup_order', at: new Date(atMs).toISOString(), durationMs: 10, ...more }) as AuditRecord;
  const failed = (callId: string, atMs: number) => ({ tool: 'lookup_order', runId: 'r', callId, atMs });
  const failures = [failed('c1', 1000), failed('c2', 2000), failed('c3', 3000)];

  it('holds when the breaker opened on the handler failure that reached its threshold', () => {
    const records = [record('c3', 2990, { breakerOpened: true }), record('c4', 4000, { code: 'CIRCUIT_OPEN' })];
    expect(breakerInvariants([tool], records, failures, new Map())).toEqual({ broken: [], openings: 1 });
  });

  it('flags an opening by a call whose handler did not fail, and a breaker open before enough failures', () => {
    const records = [record('c9', 2500, { breakerOpened: true, code: 'INTERNAL' })];
    expect(breakerInvariants([tool], records, failures, new Map()).broken).toEqual([
      "lookup_order's breaker was opened by r c9 (INTERNAL), whose handler did not fail",
      `lookup_order's breaker was open by ${new Date(2510).toISOString()} with no 3 handler failures within 10000 ms before (2 in all)`,
    ]);
    // A refusal is a sign too (the attempt that opened it may have lost its record), and failures too far apart are not a window's.
    const spread = [failed('c1', 0), failed('c2', 8000), failed('c3', 16_000)];
    expect(breakerInvariants([tool], [record('c5', 17_000, { code: 'CIRCUIT_OPEN' })], spread, new Map()).broken).toHaveLength(1);
  });
});

describe('the clocks that differ', () => {
  it('skews Date.now and new Date() inside a function’s work only, keeping Date itself', async () => {
    const restore = installSkewedClocks();
    try {
      const seen = await onClock(60_000, async () => {
        await Promise.resolve();
        return {
          now: Date.now() - trueNow(),
          made: new Date().getTime() - trueNow(),
          fixed: new Date(0).getTime(),
          isDate: new Date() instanceof Date,
        };
      });
      expect(seen.now).toBeGreaterThanOrEqual(59_000);
      expect(seen.made).toBeGreaterThanOrEqual(59_000);
      expect(seen).toMatchObject({ fixed: 0, isDate: true });
      expect(Math.abs(Date.now() - trueNow())).toBeLessThan(1000);
    } finally {
      restore();
    }
  });
});

describe('the fault simulation (npm run sim)', () => {
  it('keeps every invariant over a fixed slice of seeds', async () => {
    const report = await simulate({ seeds: Array.from({ length: 500 }, (_, i) => i + 1), rate: 0.05 });
    expect(report.violations).toEqual([]);
    expect(report.worldViolations).toEqual([]);
    expect(report.seeds).toBe(500);
    // The slice reaches the faults it is meant to: each kind (a redrive too: it answers the outages of
    // CallModel's table, which the default `--outages all` plays), at the loop's and the tools' requests and invocations.
    expect(Object.entries(report.faults).filter(([, n]) => n === 0)).toEqual([]);
    expect(report.points.filter((p) => p.faulted > 0).map((p) => p.point.split(':')[0])).toEqual(
      expect.arrayContaining(['CallModel', 'create_ticket', 'lookup_order']),
    );
    expect(report.points.filter((p) => p.point.endsWith(':Invoke') && p.faulted > 0).map((p) => p.point)).toEqual(
      expect.arrayContaining([
        'CallModel:Invoke',
        'create_ticket:Invoke',
        'lookup_order:Invoke',
        'refund_order:Invoke',
        'RequestApproval:Invoke',
      ]),
    );
    // The approvals: the API's own requests as it decides, and the decisions on their way (each kind above).
    expect(report.points.filter((p) => p.faulted > 0).map((p) => p.point)).toEqual(
      expect.arrayContaining(['Api:UpdateItem', 'Approver:Decide', 'RequestApproval:PutItem']),
    );
    // Time is virtual: the retries' pauses were counted, not slept.
    expect(report.virtualSeconds).toBeGreaterThan(0);
    // The budget runs ran into their budgets (the run's own, and their user's day).
    expect(report.statuses.BUDGET_EXHAUSTED).toBeGreaterThan(0);
  }, 600_000);

  it.each(regressions)(
    'keeps them on regression seed $seed (rate $rate): $found',
    async ({ seed, rate, scenario, outages }) => {
      const report = await simulate({ seeds: [seed], rate, scenario, concurrency: 1, ...(outages ? { outages } : {}) });
      expect(report.violations).toEqual([]);
    },
    300_000,
  );
});
