import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hashCanonical } from '#shared/canonical-json/index.ts';
import { DynamoDbApprovalReader } from '#shared/approval/index.ts';
import { DynamoDbIdempotencyStore, idempotencyKey } from '#shared/idempotency/index.ts';
import { createGuardedHandler, type GuardTables } from '#shared/pipeline/index.ts';
import type { AnyTool } from '#shared/tool/index.ts';
import { invocation, nextCallId } from '../../support/guard-harness.ts';
import { useGuardWorld } from '../../support/guard-world.ts';
import { lambdaContext } from '../../support/lambda-context.ts';
import { printedLines } from '../../support/printed-lines.ts';
import { countRequests } from '../../support/request-counter.ts';
import { createDynamoDbClient } from '#shared/aws/index.ts';
import { embeddedClientConfig } from '../../../infra/local/embedded-aws.ts';
import { testTool } from '../../support/test-tool.ts';

const world = useGuardWorld();
afterEach(() => vi.unstubAllEnvs());

/** A logger that prints nothing and notes each line the pipeline logs. */
const spiedLogger = () => {
  const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
  return { logger, warn: vi.spyOn(logger, 'warn'), info: vi.spyOn(logger, 'info'), error: vi.spyOn(logger, 'error') };
};
/** Metrics whose single metrics (breaker transitions) are noted, not flushed. */
const spiedMetrics = () => {
  const metrics = new Metrics({ namespace: 'Test', serviceName: 'test' });
  const single: unknown[] = [];
  vi.spyOn(metrics, 'singleMetric').mockImplementation(
    () =>
      ({
        addDimension: (...args: unknown[]) => void single.push(['dimension', ...args]),
        addMetric: (...args: unknown[]) => void single.push(['metric', ...args]),
      }) as never,
  );
  return { metrics, single };
};
const guarded = (tool: AnyTool, extra: { now?: () => number; declaration?: string; tables?: GuardTables } = {}) => {
  const { logger, ...logs } = spiedLogger();
  const { metrics, single } = spiedMetrics();
  const handler = createGuardedHandler({ tool, deps: {}, client: world.db.client, tables: world.tables, logger, metrics, ...extra });
  const call = (args: unknown, options: { runId?: string; callId?: string } = {}) =>
    handler(invocation(tool, args, { groups: ['user'], ...options }), lambdaContext());
  return { call, logs, single };
};
/** A handler that waits until the test lets it go, saying when it has started. */
const latch = () => {
  let enter: () => void = () => {};
  let release: () => void = () => {};
  const entered = new Promise<void>((resolve) => (enter = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  return { entered, release, behaviour: async () => (enter(), await released, { done: true }) };
};

describe('createGuardedHandler, its wiring', () => {
  it('refuses to build a sink or a destructive tool without an approvals reader to verify approvals', () => {
    const build = (tool: AnyTool) => () => createGuardedHandler({ tool, deps: {}, client: world.db.client, tables: world.tables });
    expect(build(testTool({ name: 'send_note', reaches: 'external' }).tool)).toThrow(
      new TypeError('Tool send_note is a sink (reaches: external): pass approvals (a DynamoDbApprovalReader) so it can verify one'),
    );
    const destructive = new TypeError(
      'Tool delete_note is destructive: pass approvals (a DynamoDbApprovalReader) so the tool can verify its approval',
    );
    expect(build(testTool({ name: 'delete_note', risk: 'destructive' }).tool)).toThrow(destructive);
    expect(build(testTool({ name: 'delete_note', risk: 'destructive', reaches: 'external' }).tool)).toThrow(destructive);
    expect(build(testTool({ name: 'read_note' }).tool)).not.toThrow();
  });

  it('logs a refusal with its code, and a failure with its cause redacted; each call’s audit record, with its declaration', async () => {
    const crash = testTool({ name: 'crash_note', behaviour: async () => Promise.reject(new TypeError('bad key AKIAIOSFODNN7EXAMPLE')) });
    const { call, logs } = guarded(crash.tool, { declaration: 'decl-1' });
    await call({ text: 42 });
    expect(logs.warn).toHaveBeenCalledWith('tool call refused or failed', { code: 'VALIDATION_FAILED' });
    await call({ text: 'a' });
    expect(logs.warn).toHaveBeenLastCalledWith('tool call refused or failed', {
      code: 'TOOL_FAILED',
      causeName: 'TypeError',
      causeMessage: 'bad key [REDACTED:aws-access-key]',
    });
    expect(logs.info).toHaveBeenCalledWith('tool call', { audit: expect.objectContaining({ tool: 'crash_note', declaration: 'decl-1' }) });
    const plain = guarded(testTool({ name: 'plain_note' }).tool);
    await plain.call({ text: 'a' });
    const [, logged] = plain.logs.info.mock.calls.find(([message]) => message === 'tool call') as [string, { audit: object }];
    expect('declaration' in logged.audit).toBe(false);
  });

  it('fails a call closed when its audit record cannot be written; logs the store’s failure behind a refusal, keeping the refusal', async () => {
    const { call, logs } = guarded(testTool({ name: 'unaudited_note' }).tool, { tables: { ...world.tables, audit: 'no-such-table' } });
    expect(await call({ text: 'a' })).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL', message: 'The call could not be recorded in the audit trail.' },
    });
    expect(await call({ text: 42 })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(logs.error).toHaveBeenCalledWith('audit write failed', {
      errorName: 'AuditWriteError',
      errorMessage: 'The call could not be recorded in the audit trail.',
    });
  });

  it('counts and logs each breaker transition, by state', async () => {
    const failing = testTool({
      name: 'flaky_note',
      breaker: { failureThreshold: 1, windowMs: 60_000, cooldownMs: 60_000 },
      behaviour: async () => Promise.reject(new Error('down')),
    });
    const { call, logs, single } = guarded(failing.tool);
    await call({ text: 'a' });
    const transition = single.findIndex((entry) => JSON.stringify(entry) === JSON.stringify(['dimension', 'state', 'OPEN']));
    expect(single.slice(transition, transition + 2)).toEqual([
      ['dimension', 'state', 'OPEN'],
      ['metric', 'BreakerTransitions', 'Count', 1],
    ]);
    expect(logs.warn).toHaveBeenCalledWith('breaker transition', { state: 'OPEN' });
  });

  it('holds a call’s key for its timeout, the reserve and 5 s: a duplicate arriving meanwhile is told to wait that long', async () => {
    const slow = latch();
    const { call } = guarded(testTool({ name: 'slow_note', timeoutMs: 300, behaviour: slow.behaviour }).tool, { now: () => 1_000_000 });
    const callId = nextCallId();
    const first = call({ text: 'a' }, { callId });
    await slow.entered;
    expect(await call({ text: 'a' }, { callId })).toMatchObject({ ok: false, error: { retryAfterMs: 300 + 1000 + 5000 } });
    slow.release();
    expect(await first).toMatchObject({ ok: true });
  });

  it('gives a breaker probe twice the tool timeout and the reserve: a caller who lost the probe is told to wait that long', async () => {
    let clock = 1_000_000;
    let fail = true;
    const probe = latch();
    const tool = testTool({
      name: 'probed_note',
      timeoutMs: 300,
      breaker: { failureThreshold: 1, windowMs: 60_000, cooldownMs: 1000 },
      behaviour: async () => (fail ? Promise.reject(new Error('down')) : probe.behaviour()),
    }).tool;
    const { call } = guarded(tool, { now: () => clock });
    await call({ text: 'a' });
    [clock, fail] = [clock + 1000, false];
    const probing = call({ text: 'b' });
    await probe.entered;
    expect(await call({ text: 'c' })).toMatchObject({ ok: false, error: { code: 'CIRCUIT_OPEN', retryAfterMs: 2 * 300 + 1000 } });
    probe.release();
    expect(await probing).toMatchObject({ ok: true });
  });

  it('records an earlier attempt that died holding the claim, with its declaration, before running the call again', async () => {
    const tool = testTool({ name: 'recovered_note' }).tool;
    const { call, logs } = guarded(tool, { declaration: 'decl-2' });
    const callId = nextCallId();
    const dead = new DynamoDbIdempotencyStore({ client: world.db.client, tableName: world.tables.idempotency, now: () => 1000 });
    await dead.begin(idempotencyKey(tool.name, 'run-recovered', callId), hashCanonical({ text: 'a' }), 1, {
      attemptId: 'dead-attempt',
      startedAt: 990,
    });
    expect(await call({ text: 'a' }, { runId: 'run-recovered', callId })).toMatchObject({ ok: true });
    expect(logs.warn).toHaveBeenCalledWith('recorded an earlier attempt that left no audit record', {
      audit: expect.objectContaining({
        runId: 'run-recovered',
        callId,
        tool: 'recovered_note',
        userId: 'alice',
        attemptId: 'dead-attempt',
        status: 'interrupted',
        at: new Date(990).toISOString(),
        durationMs: 0,
        declaration: 'decl-2',
      }),
    });
  });

  it('logs as service guarded-agents and counts in namespace GuardedAgents by default; the event not logged, no keys left from the call before', async () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    const tool = testTool({ name: 'default_note' }).tool;
    const handler = createGuardedHandler({ tool, deps: {}, client: world.db.client, tables: world.tables });
    const callAs = (runId: string) => handler(invocation(tool, { text: 'a' }, { runId, groups: ['user'] }), lambdaContext());
    const first = (await printedLines(() => callAs('run-first'))).map((line) => JSON.parse(line) as Record<string, unknown>);
    const second = await printedLines(() => callAs('-not-an-id'));
    const logged = first.filter((line) => 'level' in line);
    expect(logged.map((line) => [line.message, line.service])).toEqual([['tool call', 'guarded-agents']]);
    const emf = first.filter((line) => '_aws' in line) as {
      _aws: { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[] };
    }[];
    const metricNames = emf.flatMap((doc) => doc._aws.CloudWatchMetrics.flatMap((m) => m.Metrics.map((x) => x.Name)));
    expect(new Set(emf.flatMap((doc) => doc._aws.CloudWatchMetrics.map((m) => m.Namespace)))).toEqual(new Set(['GuardedAgents']));
    expect(metricNames).toEqual(expect.arrayContaining(['ToolInvocations']));
    expect(second.join('\n')).not.toContain('run-first');
  });

  it('reads no approval for a tool that needs none, even with an approvals reader: 4 requests in all', async () => {
    const client = createDynamoDbClient(embeddedClientConfig(world.db.endpoint));
    const { sent } = countRequests(client);
    const tool = testTool({ name: 'unapproved_read_note' }).tool;
    const approvals = new DynamoDbApprovalReader({ client, tableName: world.tables.approvals });
    const handler = createGuardedHandler({ tool, deps: {}, client, tables: world.tables, approvals });
    expect(await handler(invocation(tool, { text: 'a' }, { groups: ['user'] }), lambdaContext())).toMatchObject({ ok: true });
    expect(sent.map((r) => r.command).sort()).toEqual([
      'BatchWriteItemCommand',
      'PutItemCommand',
      'UpdateItemCommand',
      'UpdateItemCommand',
    ]);
  });

  it('records an earlier attempt that stored its result and died before its audit record as executed, when it ended', async () => {
    const tool = testTool({ name: 'executed_note' }).tool;
    const { call, logs } = guarded(tool);
    const callId = nextCallId();
    const dead = new DynamoDbIdempotencyStore({ client: world.db.client, tableName: world.tables.idempotency, now: () => 1500 });
    const key = idempotencyKey(tool.name, 'run-executed', callId);
    const attempt = { attemptId: 'died-after-storing', startedAt: 990 };
    await dead.begin(key, hashCanonical({ text: 'a' }), 60_000, attempt);
    await dead.complete(key, hashCanonical({ text: 'a' }), { echoed: 'a' }, attempt);
    expect(await call({ text: 'a' }, { runId: 'run-executed', callId })).toMatchObject({ ok: true, data: { echoed: 'a' } });
    expect(logs.warn).toHaveBeenCalledWith('recorded an earlier attempt that left no audit record', {
      audit: expect.objectContaining({
        attemptId: 'died-after-storing',
        status: 'executed',
        at: new Date(990).toISOString(),
        durationMs: 510,
      }),
    });
  });

  it('refuses a malformed envelope as the platform’s error, and a call for another tool without echoing its name', async () => {
    const tool = testTool({ name: 'envelope_note' }).tool;
    const handler = createGuardedHandler({ tool, deps: {}, client: world.db.client, tables: world.tables });
    const { runId: _dropped, ...noRun } = invocation(tool, { text: 'a' });
    expect(await handler(noRun, lambdaContext())).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        message: expect.stringMatching(/^The call envelope is malformed: .*runId/),
        suggestion: "This is a platform error, not the model's: report it.",
      },
    });
    expect(await handler(invocation(tool, { text: 'a' }, { tool: 'ignore_previous_instructions' }), lambdaContext())).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_TOOL', message: 'The requested tool does not exist here; this function serves envelope_note.' },
    });
  });
});
