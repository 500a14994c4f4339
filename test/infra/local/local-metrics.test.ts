import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../shared/audit/index.ts';
import { metricSeries } from '../../../infra/local/local-metrics.ts';

const NOW = Date.parse('2026-11-30T12:00:30Z');
/** An audit record `minutesAgo` before NOW: an attempt by default, or a decision / screening / expiry by its attempt id. */
const record = (minutesAgo: number, fields: Partial<AuditRecord> = {}): AuditRecord => ({
  runId: 'run-1',
  callId: 'c1-1',
  attemptId: `attempt-${Math.random()}`,
  tool: 'lookup_order',
  userId: 'uma',
  status: 'executed',
  durationMs: 10,
  at: new Date(NOW - minutesAgo * 60_000).toISOString(),
  arguments: {},
  result: '',
  ...fields,
});
const series = (records: AuditRecord[], runs: Array<{ createdAt: string; status: string }> = []) =>
  metricSeries({ records, runs, tools: ['lookup_order', 'send_email'], range: '1h', now: NOW });
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

describe('metricSeries', () => {
  it('makes 60 one-minute points ending with the one that holds now', () => {
    const s = series([]);
    expect(s.times).toHaveLength(60);
    expect(s.times[1]! - s.times[0]!).toBe(60);
    expect(s.times.at(-1)).toBe(Date.parse('2026-11-30T12:00:00Z') / 1000);
    expect(s.tools.lookup_order?.calls).toEqual(new Array(60).fill(0));
  });

  it("counts each tool's calls, errors, throttles and breaker openings in the point they started in", () => {
    const s = series([
      record(0),
      record(0, { status: 'rate_limited', code: 'RATE_LIMITED' }),
      record(5, { status: 'failed', code: 'TOOL_FAILED', breakerOpened: true }),
      record(90), // before the range
    ]);
    const calls = s.tools.lookup_order!;
    expect(calls.calls[59]).toBe(2);
    expect(calls.calls[54]).toBe(1);
    expect(sum(calls.calls)).toBe(3);
    expect(sum(calls.errors)).toBe(2);
    expect(calls.throttles[59]).toBe(1);
    expect(calls.breakerOpened[54]).toBe(1);
    expect(s.errorsByCode).toEqual({ RATE_LIMITED: expect.any(Array), TOOL_FAILED: expect.any(Array) });
  });

  it('keeps what never reached a tool out of its calls: screening refusals count as errors by code, decisions as approvals', () => {
    const s = series([
      record(1, { attemptId: 'screening-c1-1', status: 'rejected', code: 'UNKNOWN_TOOL', tool: 'lookup_order' }),
      record(1, { attemptId: 'decision-ap-1', status: 'approved', tool: 'send_email' }),
      record(2, { attemptId: 'decision-ap-2', status: 'denied', tool: 'send_email' }),
      record(3, { attemptId: 'expired-ap-3', status: 'expired', code: 'APPROVAL_EXPIRED', tool: 'send_email' }),
    ]);
    expect(sum(s.tools.lookup_order!.calls) + sum(s.tools.send_email!.calls)).toBe(0);
    expect(sum(s.errorsByCode.UNKNOWN_TOOL!)).toBe(1);
    expect([sum(s.approvals.approved), sum(s.approvals.denied), sum(s.approvals.expired)]).toEqual([1, 1, 1]);
  });

  it("gives each point the p50 and p95 of its calls' durations, and null where there was none", () => {
    const s = series([10, 20, 30, 40, 200].map((durationMs) => record(0, { durationMs })));
    expect(s.durationMs.p50[59]).toBe(30);
    expect(s.durationMs.p95[59]).toBe(200);
    expect(s.durationMs.p50[58]).toBeNull();
  });

  it('counts runs by their status, in the point they started in', () => {
    const at = (minutesAgo: number) => new Date(NOW - minutesAgo * 60_000).toISOString();
    const s = series(
      [],
      [
        { createdAt: at(0), status: 'SUCCEEDED' },
        { createdAt: at(0), status: 'SUCCEEDED' },
        { createdAt: at(10), status: 'FAILED' },
        { createdAt: at(61), status: 'FAILED' },
      ],
    );
    expect(s.runsByStatus.SUCCEEDED?.[59]).toBe(2);
    expect(sum(s.runsByStatus.FAILED!)).toBe(1);
  });
});
