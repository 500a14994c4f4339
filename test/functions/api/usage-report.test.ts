import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '#shared/audit/index.ts';
import { buildUsageReport } from '#functions/api/usage-report.ts';
import { auditCsv, auditJsonLines } from '#functions/api/audit-export.ts';

let n = 0;
const record = (tool: string, over: Partial<AuditRecord> = {}): AuditRecord => ({
  runId: 'run-1',
  callId: `c${++n}`,
  attemptId: `attempt-${n}`,
  tool,
  userId: 'uma',
  status: 'executed',
  durationMs: 10,
  at: '2026-11-30T10:00:00.000Z',
  arguments: {},
  result: '{"ok":true}',
  ...over,
});
const failure = (code: string, message: string) =>
  JSON.stringify({ ok: false, error: { code, message, suggestion: '', retryable: false } });
const range = { since: new Date('2026-11-29T00:00:00Z'), until: new Date('2026-11-30T23:59:59Z') };

describe('the usage report', () => {
  it('counts calls, successes, errors by code, throttles, breaker openings, approvals and durations per tool', () => {
    const records = [
      ...Array.from({ length: 6 }, (_, i) => record('lookup_order', { durationMs: (i + 1) * 10 })),
      record('lookup_order', { status: 'replayed', durationMs: 1 }),
      record('lookup_order', { status: 'rate_limited', code: 'RATE_LIMITED', durationMs: 2 }),
      record('lookup_order', { status: 'failed', code: 'TOOL_FAILED', durationMs: 300, breakerOpened: true }),
      // Approved, then run (one call); denied before any attempt; expired; a call retried after a timeout.
      record('send_email', { callId: 'm1', attemptId: 'decision-a1', status: 'approved' }),
      record('send_email', { callId: 'm1', durationMs: 50 }),
      record('send_email', { callId: 'm2', attemptId: 'decision-a2', status: 'denied' }),
      record('send_email', { callId: 'm3', attemptId: 'expired-a3', status: 'expired', code: 'APPROVAL_EXPIRED', durationMs: 0 }),
      record('send_email', { callId: 'm4', status: 'timed_out', code: 'TIMEOUT', durationMs: 5000, at: '2026-11-30T10:00:00.000Z' }),
      record('send_email', { callId: 'm4', status: 'replayed', durationMs: 50, at: '2026-11-30T10:00:09.000Z' }),
    ];
    const report = buildUsageReport(records, {
      tools: [{ name: 'lookup_order' }, { name: 'send_email' }, { name: 'fetch_url' }],
      ...range,
    });
    const [orders, mail] = report.tools;
    expect(orders).toMatchObject({
      tool: 'lookup_order',
      calls: 9,
      succeeded: 7,
      errorsByCode: { RATE_LIMITED: 1, TOOL_FAILED: 1 },
      throttles: 1,
      breakerOpenings: 1,
      durationMs: { p50: 30, p95: 300 },
    });
    expect(orders?.successRate).toBeCloseTo(7 / 9);
    // A call is its (run, call) pair: the approved call and the retried one count once, by how they ended.
    expect(mail).toMatchObject({
      tool: 'send_email',
      calls: 4,
      succeeded: 2,
      errorsByCode: { APPROVAL_DENIED: 1, APPROVAL_EXPIRED: 1 },
      approvals: { approved: 1, denied: 1, expired: 1 },
    });
    expect(mail?.durationMs).toEqual({ p50: 50, p95: 5000 });
    expect(report.neverCalled).toEqual(['fetch_url']);
    expect(report).toMatchObject({ records: records.length, since: '2026-11-29T00:00:00.000Z', truncated: false });
  });

  it('names the arguments that fail validation most often and the screening refusals by reason, and suggests what to change', () => {
    const invalid = (message: string, screening = true) =>
      record('lookup_order', {
        attemptId: screening ? `screening-${++n}` : `attempt-${++n}`,
        status: 'rejected',
        code: 'VALIDATION_FAILED',
        durationMs: 0,
        result: failure('VALIDATION_FAILED', message),
      });
    const records = [
      invalid('Invalid arguments for lookup_order: orderId: must match pattern ^ORD-\\d{6}$'),
      invalid('Invalid arguments for lookup_order: orderId: must match pattern ^ORD-\\d{6}$'),
      invalid('Invalid arguments for lookup_order: orderId: must match pattern ^ORD-\\d{6}$; extra: unknown key(s) extra'),
      invalid('Invalid arguments for lookup_order: (arguments): expected object', false),
      record('lookup_order', {
        attemptId: 'screening-x',
        status: 'rejected',
        code: 'PERMISSION_DENIED',
        result: failure('PERMISSION_DENIED', 'Not for your role.'),
      }),
      ...Array.from({ length: 3 }, () => record('lookup_order')),
    ];
    const report = buildUsageReport(records, { tools: [{ name: 'lookup_order', timeoutMs: 3000 }, { name: 'delete_document' }], ...range });
    const orders = report.tools[0];
    expect(orders?.failingArguments).toEqual([
      { argument: 'orderId', rule: 'must match pattern ^ORD-\\d{6}$', count: 3 },
      { argument: 'extra', rule: 'unknown key(s) extra', count: 1 },
      { argument: '(arguments)', rule: 'expected object', count: 1 },
    ]);
    expect(orders?.screeningRefusals).toEqual([
      { code: 'VALIDATION_FAILED', reason: 'Invalid arguments for lookup_order: orderId: must match pattern ^ORD-\\d{6}$', count: 2 },
      expect.objectContaining({ code: 'VALIDATION_FAILED', count: 1 }),
      { code: 'PERMISSION_DENIED', reason: 'Not for your role.', count: 1 },
    ]);
    expect(report.suggestions.map((s) => [s.tool, s.kind])).toEqual([
      ['lookup_order', 'schema'],
      ['delete_document', 'never-called'],
    ]);
    expect(report.suggestions[0]?.text).toMatch(
      /50 % of lookup_order's calls had invalid arguments \(most often orderId: must match pattern/,
    );
  });

  it('suggests nothing from too few calls, and flags throttling, failures, slowness and denials past their thresholds', () => {
    expect(
      buildUsageReport([record('t', { status: 'failed', code: 'TOOL_FAILED' })], { tools: [{ name: 't' }], ...range }).suggestions,
    ).toEqual([]);
    const busy = [
      ...Array.from({ length: 8 }, () => record('t', { durationMs: 2900 })),
      ...Array.from({ length: 2 }, () => record('t', { status: 'rate_limited', code: 'RATE_LIMITED' })),
      ...Array.from({ length: 4 }, () => record('t', { status: 'timed_out', code: 'TIMEOUT', durationMs: 3000 })),
      ...Array.from({ length: 5 }, (_, i) => record('t', { attemptId: `decision-${i}`, status: i < 3 ? 'denied' : 'approved' })),
    ];
    const kinds = buildUsageReport(busy, { tools: [{ name: 't', timeoutMs: 3000 }], ...range }).suggestions.map((s) => s.kind);
    expect(kinds).toEqual(['throttled', 'unreliable', 'slow', 'denied']);
  });
});

describe('the audit export', () => {
  it('writes RFC 4180 CSV that a spreadsheet cannot run: a formula-like cell is quoted as text', () => {
    const csv = auditCsv([
      record('send_email', { arguments: { to: 'a@example.com', body: '=HYPERLINK("https://evil.example","click")' }, result: '@SUM(1)' }),
      record('lookup_order', { code: 'TOOL_FAILED', status: 'failed', result: 'line one\nline "two", three' }),
    ]);
    const [header, first, second] = csv.split('\r\n');
    expect(header).toBe('at,runId,callId,attemptId,tool,userId,status,code,durationMs,approvalId,arguments,result');
    expect(first).toContain(`"{""to"":""a@example.com"",""body"":""=HYPERLINK(`);
    expect(first?.endsWith(`,'@SUM(1)`)).toBe(true);
    expect(second).toContain(`,lookup_order,uma,failed,TOOL_FAILED,10,,{},"line one`);
    expect(csv).toContain(`line ""two"", three"\r\n`);
    expect(
      auditJsonLines([record('t'), record('u')])
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { tool: string }).tool),
    ).toEqual(['t', 'u']);
  });
});
