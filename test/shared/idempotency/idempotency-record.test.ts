import { describe, expect, it } from 'vitest';
import { idempotencyKey, judgeRecord, RecordStatus } from '#shared/idempotency/idempotency-record.ts';

describe('judgeRecord', () => {
  const now = 50_000;
  it('runs a call with no record', () => expect(judgeRecord(undefined, 'h', now)).toEqual({ verdict: 'run' }));
  it('replays a completed call with the same arguments', () => {
    expect(judgeRecord({ status: RecordStatus.COMPLETED, argsHash: 'h', inProgressUntil: 0, result: { a: 1 } }, 'h', now)).toEqual({
      verdict: 'replay',
      result: { a: 1 },
    });
  });
  it('refuses the same call id with other arguments, completed or not', () => {
    expect(judgeRecord({ status: RecordStatus.COMPLETED, argsHash: 'h', inProgressUntil: 0 }, 'other', now)).toEqual({
      verdict: 'mismatch',
    });
    expect(judgeRecord({ status: RecordStatus.IN_PROGRESS, argsHash: 'h', inProgressUntil: now + 1 }, 'other', now)).toEqual({
      verdict: 'mismatch',
    });
  });
  it('waits for a call in progress, and takes over an abandoned one', () => {
    expect(judgeRecord({ status: RecordStatus.IN_PROGRESS, argsHash: 'h', inProgressUntil: now + 10 }, 'h', now)).toEqual({
      verdict: 'in-progress',
      retryAfterMs: 10,
    });
    expect(judgeRecord({ status: RecordStatus.IN_PROGRESS, argsHash: 'h', inProgressUntil: now }, 'h', now)).toEqual({ verdict: 'run' });
  });
  it('keys on tool, run and call', () => expect(idempotencyKey('t', 'r', 'c')).toBe('t#r#c'));
});
