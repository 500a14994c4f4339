import type { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it } from 'vitest';
import { correlationIds } from '#shared/pipeline/middleware.ts';

/** The keys the middleware appends to the logger for one event. */
const keysFor = async (event: unknown) => {
  const appended: Record<string, string>[] = [];
  const logger = { appendKeys: (keys: Record<string, string>) => void appended.push(keys) } as unknown as Logger;
  await correlationIds(logger, 'lookup_order').before?.({
    event,
    context: {},
    response: undefined,
    error: undefined,
    internal: {},
  } as never);
  return appended;
};

describe('correlationIds', () => {
  it('adds the tool, run, call and user ids to every log line', async () => {
    expect(await keysFor({ runId: 'run-1', callId: 'c:1.a_b', caller: { userId: 'alice' } })).toEqual([
      { tool: 'lookup_order', runId: 'run-1', callId: 'c:1.a_b', userId: 'alice' },
    ]);
  });
  it('adds only well-formed ids: the envelope is not validated yet', async () => {
    const longest = `a${'b'.repeat(127)}`;
    expect(await keysFor({ runId: longest, callId: `${longest}c`, caller: { userId: 'has space' } })).toEqual([
      { tool: 'lookup_order', runId: longest },
    ]);
    expect(await keysFor({ runId: '-run', callId: 'x\ny', caller: { userId: 42 } })).toEqual([{ tool: 'lookup_order' }]);
    expect(await keysFor({ runId: 'r', callId: 'a\u202Eb' })).toEqual([{ tool: 'lookup_order', runId: 'r' }]);
  });
  it('adds the tool alone for an event that is no object, or has no caller', async () => {
    expect(await keysFor(undefined)).toEqual([{ tool: 'lookup_order' }]);
    expect(await keysFor({ runId: 'r1' })).toEqual([{ tool: 'lookup_order', runId: 'r1' }]);
  });
});
