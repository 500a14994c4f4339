import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { countersFor, needsTenant, spendBudgetsSchema, tenantOf, windowOf } from '#shared/budgets/spend-limits.ts';

describe('windows, counters and tenants', () => {
  it('cuts UTC days and months, and says when each ends', () => {
    const at = Date.UTC(2026, 11, 31, 23, 59, 59);
    expect(windowOf('day', at)).toEqual({ period: '2026-12-31', resetsAt: Date.UTC(2027, 0, 1) });
    expect(windowOf('month', at)).toEqual({ period: '2026-12', resetsAt: Date.UTC(2027, 0, 1) });
    expect(windowOf('month', Date.UTC(2026, 1, 1))).toEqual({ period: '2026-02', resetsAt: Date.UTC(2026, 2, 1) });
  });

  it('keeps one counter per declared limit, named by scope, subject and window', () => {
    const budgets = {
      tenant: { groupPrefix: 'tenant-' },
      limits: [
        { scope: 'user' as const, window: 'day' as const, toolCalls: 10 },
        { scope: 'tenant' as const, window: 'month' as const, tokens: 1000 },
      ],
    };
    const at = Date.UTC(2026, 10, 30, 12);
    expect(countersFor(budgets, { user: 'uma', tenant: 'acme' }, at).map((c) => c.key)).toEqual([
      'spend#user#uma#2026-11-30',
      'spend#tenant#acme#2026-11',
    ]);
    expect(countersFor(budgets, { user: 'uma' }, at).map((c) => c.key)).toEqual(['spend#user#uma#2026-11-30']);
    expect(needsTenant(budgets)).toBe(true);
    expect(needsTenant({ limits: [budgets.limits[0]!] })).toBe(false);
  });

  it('finds the tenant in a prefixed group or in a claim, and nowhere else', () => {
    expect(tenantOf({ groupPrefix: 'tenant-' }, { groups: ['user', 'tenant-acme', 'tenant-other'] })).toBe('acme');
    expect(tenantOf({ groupPrefix: 'tenant-' }, { groups: ['user', 'tenant-'] })).toBeUndefined();
    expect(tenantOf({ claim: 'custom:tenant' }, { groups: ['tenant-acme'], claims: { 'custom:tenant': 'globex' } })).toBe('globex');
    expect(tenantOf({ claim: 'custom:tenant' }, { groups: [], claims: { 'custom:tenant': '' } })).toBeUndefined();
    expect(tenantOf(undefined, { groups: ['tenant-acme'] })).toBeUndefined();
  });

  it('is declared strictly: unknown keys, empty limits and ratios above 1 are refused', () => {
    const ok = (value: unknown) => z.safeParse(spendBudgetsSchema, value).success;
    expect(ok({ limits: [{ scope: 'user', window: 'day', toolCalls: 5, alarmAt: 0.8 }] })).toBe(true);
    expect(ok({ limits: [{ scope: 'user', window: 'day', toolCalls: 5, extra: 1 }] })).toBe(false);
    expect(ok({ limits: [{ scope: 'user', window: 'week', toolCalls: 5 }] })).toBe(false);
    expect(ok({ limits: [{ scope: 'user', window: 'day', toolCalls: 5, alarmAt: 1.5 }] })).toBe(false);
    expect(ok({ limits: [] })).toBe(false);
  });
});
