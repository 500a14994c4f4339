import { describe, expect, it } from 'vitest';
import { DynamoDbAuditStore } from '#shared/audit/index.ts';
import { ToolDeclinedError } from '#shared/tool-result/index.ts';
import { unreachableDynamoDb } from '../../support/embedded-dynamodb.ts';
import { guard, invocation } from '../../support/guard-harness.ts';
import { lambdaContext } from '../../support/lambda-context.ts';
import { testTool } from '../../support/test-tool.ts';
import { useGuardWorld } from '../../support/guard-world.ts';

const world = useGuardWorld();

/** A tool whose handler counts its executions, so every test can assert what reached it. */
const countingTool = (name: string, behaviour?: (input: { text: string }) => Promise<unknown>) =>
  testTool({ name, ...(behaviour ? { behaviour } : {}) });

describe('createGuardedHandler', () => {
  it('runs a valid call and returns the structured success', async () => {
    const { tool, executions } = countingTool('echo_text_ok');
    const result = await guard(tool, {}, world.db.client, world.tables).call({ text: 'hi' }, { groups: ['user'] });
    expect(result).toEqual({ ok: true, data: { echoed: 'hi' } });
    expect(executions).toHaveLength(1);
  });

  it('answers the state machine with a receipt that names the call, success or failure (the loop pairs answers by it)', async () => {
    const { tool, executions } = countingTool('echo_text_receipt');
    const g = guard(tool, {}, world.db.client, world.tables);
    const answer = (args: unknown, callId: string) =>
      g.handler({ ...invocation(tool, args, { callId, groups: ['user'] }), receipt: true }, lambdaContext());
    expect(await answer({ text: 'hi' }, 'c1-1')).toEqual({ ok: true, receipt: true, callId: 'c1-1' });
    expect(await answer({ text: 42 }, 'c1-2')).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' }, callId: 'c1-2' });
    // Without a receipt asked for, the result is DESIGN.md's, with nothing added.
    expect(await g.call({ text: 'x' }, { groups: ['user'] })).toEqual({ ok: true, data: { echoed: 'x' } });
    expect(executions).toHaveLength(2);
  });

  it('rejects arguments that fail the schema before the handler, with the field named', async () => {
    const { tool, executions } = countingTool('echo_text_invalid');
    const g = guard(tool, {}, world.db.client, world.tables);
    const results = await Promise.all([
      g.call({ text: 'x'.repeat(51) }),
      g.call({ text: 'ok', extra: 1 }),
      g.call({ text: 42 }),
      g.call({}),
      g.call('text'),
      g.call({ text: 'bidi\u202Etxt' }),
    ]);
    for (const result of results) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('VALIDATION_FAILED');
    }
    expect(results[0]).toMatchObject({ error: { message: expect.stringContaining('text: must be at most 50 characters') } });
    expect(results[1]).toMatchObject({ error: { message: expect.stringContaining('extra') } });
    expect(executions).toHaveLength(0);
  });

  it('refuses a caller whose role may not use the tool, and unknown groups grant nothing', async () => {
    const { tool, executions } = countingTool('echo_text_roles');
    const g = guard(tool, {}, world.db.client, world.tables);
    expect(await g.call({ text: 'a' }, { groups: [] })).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
    expect(await g.call({ text: 'a' }, { groups: ['superuser', 'Admin'] })).toMatchObject({
      ok: false,
      error: { code: 'PERMISSION_DENIED' },
    });
    expect(executions).toHaveLength(0);
  });

  it('refuses a tool name that is not byte-equal to its own', async () => {
    const { tool, executions } = countingTool('echo_text_name');
    const g = guard(tool, {}, world.db.client, world.tables);
    for (const name of ['ECHO_TEXT_NAME', 'echo_text_name ', '__proto__', 'echo_text_nаme']) {
      expect(await g.call({ text: 'a' }, { tool: name })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_TOOL' } });
    }
    expect(executions).toHaveLength(0);
  });

  it('runs the same (run, call) once and replays the result; other arguments under the same call id are refused', async () => {
    const { tool, executions } = countingTool('echo_text_idem');
    const g = guard(tool, {}, world.db.client, world.tables);
    const first = await g.call({ text: 'once' }, { callId: 'c-1' });
    const again = await g.call({ text: 'once' }, { callId: 'c-1' });
    const concurrent = await Promise.all(Array.from({ length: 10 }, () => g.call({ text: 'once' }, { callId: 'c-1' })));
    expect(first).toEqual({ ok: true, data: { echoed: 'once' } });
    expect(again).toEqual(first);
    for (const r of concurrent) expect(r).toEqual(first);
    expect(await g.call({ text: 'twice' }, { callId: 'c-1' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(executions).toHaveLength(1);
  });

  it('lets a failed call be retried under the same call id', async () => {
    let fail = true;
    const { tool, executions } = countingTool('echo_text_retry', async (input) => {
      if (fail) throw new Error('flaky dependency');
      return input;
    });
    const g = guard(tool, {}, world.db.client, world.tables);
    expect(await g.call({ text: 'r' }, { callId: 'c-r' })).toMatchObject({ ok: false, error: { code: 'TOOL_FAILED', retryable: true } });
    fail = false;
    expect(await g.call({ text: 'r' }, { callId: 'c-r' })).toEqual({ ok: true, data: { text: 'r' } });
    expect(executions).toHaveLength(2);
  });

  it('stops a slow handler at the tool timeout, aborts its signal and reports TIMEOUT', async () => {
    let aborted = false;
    const { tool } = countingTool('echo_text_slow', () => new Promise(() => {}));
    const slow = {
      ...tool,
      handler: (_input: unknown, context: { signal: AbortSignal }) =>
        new Promise<never>(() => context.signal.addEventListener('abort', () => (aborted = true))),
    };
    // The handler never settles: only the deadline can end this call (no wall-clock assertion).
    const result = await guard(slow as typeof tool, {}, world.db.client, world.tables).call({ text: 's' });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'TIMEOUT', retryable: true, message: expect.stringContaining(`within ${tool.timeoutMs} ms`) },
    });
    expect(aborted).toBe(true);
  });

  it('never shows internals: a thrown error becomes TOOL_FAILED with a generic message', async () => {
    const { tool } = countingTool('echo_text_boom', async () => {
      throw new Error('connect ECONNREFUSED 10.0.0.12:5432 password=hunter2');
    });
    const result = await guard(tool, {}, world.db.client, world.tables).call({ text: 'b' });
    expect(result).toMatchObject({ ok: false, error: { code: 'TOOL_FAILED' } });
    expect(JSON.stringify(result)).not.toMatch(/ECONNREFUSED|hunter2|at .*\.ts/);
  });

  it('a declined request (not found) is not a breaker failure', async () => {
    const { tool, executions } = countingTool('echo_text_declined', async () => {
      throw new ToolDeclinedError('No such thing.');
    });
    const g = guard(tool, {}, world.db.client, world.tables);
    for (let i = 0; i < 5; i++)
      expect(await g.call({ text: 'd' })).toMatchObject({ ok: false, error: { code: 'TOOL_FAILED', retryable: false } });
    expect(await g.call({ text: 'd' })).toMatchObject({ ok: false, error: { code: 'TOOL_FAILED' } });
    expect(executions).toHaveLength(6);
  });

  it('writes exactly one audit record per attempt, whatever the outcome', async () => {
    const { tool } = countingTool('echo_text_audit');
    const g = guard(tool, {}, world.db.client, world.tables);
    const runId = 'run-audit-1';
    await g.call({ text: 'a' }, { runId, callId: 'a1' }); // executed
    await g.call({ text: 'a' }, { runId, callId: 'a1' }); // replayed
    await g.call({ text: 'x'.repeat(99) }, { runId, callId: 'a2' }); // rejected
    await g.call({ text: 'a' }, { runId, callId: 'a3', groups: [] }); // permission denied
    const records = await new DynamoDbAuditStore({ client: world.db.client, tableName: world.tables.audit }).listByRun(runId);
    expect(records.map((r) => r.status).sort()).toEqual(['executed', 'rejected', 'rejected', 'replayed']);
    expect(new Set(records.map((r) => r.attemptId)).size).toBe(4);
    expect(records.find((r) => r.callId === 'a2')).toMatchObject({ code: 'VALIDATION_FAILED', tool: 'echo_text_audit', userId: 'alice' });
  });

  it('fails closed when DynamoDB is unreachable: the handler never runs and the caller is told why', async () => {
    const { tool, executions } = countingTool('echo_text_down');
    const down = unreachableDynamoDb();
    const result = await guard(tool, {}, down, world.tables).call({ text: 'a' });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL', retryable: true, suggestion: expect.stringContaining('did not run') },
    });
    expect(executions).toHaveLength(0);
    down.destroy();
  });
});
