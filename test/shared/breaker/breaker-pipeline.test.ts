import { describe, expect, it, vi } from 'vitest';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDbAuditStore } from '#shared/audit/index.ts';
import { DynamoDbBreakerStore } from '#shared/breaker/dynamodb-breaker-store.ts';
import { GuardUnavailableError } from '#shared/tool-result/index.ts';
import { guard } from '../../support/guard-harness.ts';
import { testTool } from '../../support/test-tool.ts';
import { useGuardWorld } from '../../support/guard-world.ts';

const world = useGuardWorld();

const flakyTool = (name: string) => {
  const state: { failing: boolean; executions: number; gate?: Promise<void> } = { failing: true, executions: 0 };
  const { tool } = testTool({
    name,
    limits: { perUser: { capacity: 1000, refillPerMinute: 1 }, perTool: { capacity: 1000, refillPerMinute: 1 } },
    // Long enough for a probe held at its gate on a loaded machine (the gate, not time, decides).
    timeoutMs: 20_000,
    breaker: { failureThreshold: 3, windowMs: 10_000, cooldownMs: 5_000 },
    behaviour: async () => {
      state.executions++;
      await state.gate;
      if (state.failing) throw new Error('dependency down');
      return { healthy: true };
    },
  });
  return { tool, state };
};

describe('circuit breaker in the pipeline', () => {
  it('opens after the threshold, short-circuits while open, lets exactly one probe through after the cooldown, and closes on success', async () => {
    let now = 1_000_000;
    const { tool, state } = flakyTool('check_flaky_service');
    const g = guard(tool, {}, world.db.client, world.tables, { now: () => now });
    const store = new DynamoDbBreakerStore({ client: world.db.client, tableName: world.tables.guard });

    for (let i = 0; i < 3; i++) expect(await g.call({ text: 'x' })).toMatchObject({ ok: false, error: { code: 'TOOL_FAILED' } });
    expect(await store.read(tool.name)).toMatchObject({ state: 'OPEN', openUntil: now + 5000 });

    const whileOpen = await g.call({ text: 'x' });
    expect(whileOpen).toMatchObject({ ok: false, error: { code: 'CIRCUIT_OPEN', retryable: true, retryAfterMs: 5000 } });
    expect(state.executions).toBe(3);

    now += 5000;
    state.failing = false;
    // The probe is held until every other caller has its answer, so none can arrive after the probe
    // closed the breaker (they would run, rightly): the count below is decided by the breaker alone.
    let release = () => {};
    state.gate = new Promise<void>((resolve) => (release = resolve));
    let answered = 0;
    const calls = Array.from({ length: 20 }, () => g.call({ text: 'x' }).finally(() => answered++));
    for (let i = 0; i < 2000 && answered < 19; i++) await new Promise((r) => setTimeout(r, 10));
    release();
    const burst = await Promise.all(calls);
    expect(burst.filter((r) => r.ok)).toHaveLength(1);
    expect(burst.filter((r) => !r.ok && r.error.code === 'CIRCUIT_OPEN')).toHaveLength(19);
    expect(state.executions).toBe(4);
    expect(await store.read(tool.name)).toEqual({ state: 'CLOSED' });

    expect(await g.call({ text: 'x' })).toMatchObject({ ok: true });
  });

  it('never moves when the guards cannot reach their data: the call is INTERNAL (retryable), the tool stays offered', async () => {
    const { tool } = testTool({
      name: 'check_guarded_service',
      limits: { perUser: { capacity: 1000, refillPerMinute: 1 }, perTool: { capacity: 1000, refillPerMinute: 1 } },
      timeoutMs: 1000,
      breaker: { failureThreshold: 3, windowMs: 10_000, cooldownMs: 5_000 },
      behaviour: async () => {
        throw new GuardUnavailableError('The approval could not be read.');
      },
    });
    const g = guard(tool, {}, world.db.client, world.tables);
    for (let i = 0; i < 6; i++)
      expect(await g.call({ text: 'x' })).toMatchObject({ ok: false, error: { code: 'INTERNAL', retryable: true } });
    expect(await new DynamoDbBreakerStore({ client: world.db.client, tableName: world.tables.guard }).read(tool.name)).toEqual({
      state: 'CLOSED',
    });
  });

  it('re-opens when the probe fails', async () => {
    let now = 2_000_000;
    const { tool, state } = flakyTool('check_flaky_probe');
    const g = guard(tool, {}, world.db.client, world.tables, { now: () => now });
    for (let i = 0; i < 3; i++) await g.call({ text: 'x' });
    now += 5000;
    expect(await g.call({ text: 'x' })).toMatchObject({ ok: false, error: { code: 'TOOL_FAILED' } });
    expect(await new DynamoDbBreakerStore({ client: world.db.client, tableName: world.tables.guard }).read(tool.name)).toMatchObject({
      state: 'OPEN',
      openUntil: now + 5000,
    });
    expect(await g.call({ text: 'x' })).toMatchObject({ ok: false, error: { code: 'CIRCUIT_OPEN' } });
    expect(state.executions).toBe(4);
  });

  it('counts failures per window: old failures do not add up with new ones', async () => {
    let now = 3_000_000;
    const { tool } = flakyTool('check_flaky_window');
    const g = guard(tool, {}, world.db.client, world.tables, { now: () => now });
    await g.call({ text: 'x' });
    await g.call({ text: 'x' });
    now += 10_001; // the window is over
    await g.call({ text: 'x' });
    await g.call({ text: 'x' });
    expect(await new DynamoDbBreakerStore({ client: world.db.client, tableName: world.tables.guard }).read(tool.name)).toEqual({
      state: 'CLOSED',
    });
    await g.call({ text: 'x' });
    expect((await new DynamoDbBreakerStore({ client: world.db.client, tableName: world.tables.guard }).read(tool.name)).state).toBe('OPEN');
  });

  it('opens exactly once when many failures arrive at the same time', async () => {
    const now = 4_000_000;
    const { tool } = flakyTool('check_flaky_burst');
    const logger = new Logger({ logLevel: 'SILENT' });
    const warn = vi.spyOn(logger, 'warn');
    const g = guard(tool, {}, world.db.client, world.tables, { now: () => now, logger });
    const results = await Promise.all(Array.from({ length: 12 }, () => g.call({ text: 'x' })));
    expect(results.every((r) => !r.ok)).toBe(true);
    expect((await new DynamoDbBreakerStore({ client: world.db.client, tableName: world.tables.guard }).read(tool.name)).state).toBe('OPEN');
    const opened = warn.mock.calls.filter(
      ([message, extra]) => message === 'breaker transition' && (extra as { state?: string }).state === 'OPEN',
    );
    expect(opened).toHaveLength(1);
    // The one failure that opened it says so in its audit record (the usage report counts openings from them), read through the index by day.
    const audit = new DynamoDbAuditStore({ client: world.db.client, tableName: world.tables.audit });
    const { records } = await audit.listBetween(new Date(now - 60_000), new Date(now + 60_000));
    const ours = records.filter((r) => r.tool === tool.name);
    expect(ours).toHaveLength(12);
    expect(ours.filter((r) => r.breakerOpened)).toHaveLength(1);
  });
});
