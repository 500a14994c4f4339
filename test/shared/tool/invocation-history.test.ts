import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { approvalsGiven, type AuditRecord } from '#shared/audit/index.ts';
import { MAX_RUN_APPROVALS, toolInvocationSchema } from '#shared/tool/index.ts';

// The history the loop sends with a call is what the tool's own policy check decides on: its shape is checked before any guard runs.
describe('the invocation’s history', () => {
  const accepts = (history: unknown) =>
    z.safeParse(toolInvocationSchema, {
      runId: 'run-1',
      callId: 'c1-1',
      tool: 'fetch_url',
      caller: { userId: 'uma', groups: ['user'] },
      arguments: {},
      history,
    }).success;
  const calls = { fetch_url: 1 };

  it('takes the run’s calls and tokens, and the dollars, approvals and last hour where policies read them', () => {
    expect(accepts({ calls, tokens: 10 })).toBe(true);
    expect(accepts({ calls, tokens: 10, usd: 0.25, approvals: [{ tool: 'fetch_url', by: 'pat' }], lastHour: 3 })).toBe(true);
    expect(accepts({ calls, tokens: 10, approvals: [] })).toBe(true);
  });

  it('refuses anything else', () => {
    expect(accepts({ calls, tokens: 10, usd: -1 })).toBe(false);
    expect(accepts({ calls, tokens: 10, usd: Number.NaN })).toBe(false);
    expect(accepts({ calls, tokens: 10, lastHour: 1.5 })).toBe(false);
    expect(accepts({ calls, tokens: 10, approvals: [{ tool: 'fetch_url' }] })).toBe(false);
    expect(accepts({ calls, tokens: 10, approvals: [{ tool: 'fetch_url', by: 'pat', when: 1 }] })).toBe(false);
    expect(accepts({ calls, tokens: 10, approvals: [{ tool: 'fetch_url', by: '' }] })).toBe(false);
    expect(accepts({ calls, tokens: 10, approvals: Array.from({ length: 201 }, () => ({ tool: 'fetch_url', by: 'pat' })) })).toBe(false);
    expect(accepts({ calls, tokens: 10, spent: 1 })).toBe(false);
  });
});

describe('the approvals the loop and MCP read for it', () => {
  const approval = (i: number) =>
    ({
      runId: 'run-1',
      callId: `c${i}`,
      attemptId: `decision-run-1.c${i}`,
      tool: 'fetch_url',
      userId: 'pat',
      status: 'approved',
    }) as AuditRecord;
  it('are every yes, or none when there are more than an invocation carries (a policy reading them then refuses)', () => {
    expect(approvalsGiven([approval(1), { ...approval(2), status: 'denied' }])).toEqual([{ tool: 'fetch_url', by: 'pat' }]);
    expect(approvalsGiven(Array.from({ length: MAX_RUN_APPROVALS }, (_, i) => approval(i)))).toHaveLength(MAX_RUN_APPROVALS);
    expect(approvalsGiven(Array.from({ length: MAX_RUN_APPROVALS + 1 }, (_, i) => approval(i)))).toBeUndefined();
  });
});
