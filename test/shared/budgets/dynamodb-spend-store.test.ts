import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbSpendStore, type SpendCrossing } from '#shared/budgets/dynamodb-spend-store.ts';
import { SpendGuard } from '#shared/budgets/spend-guard.ts';
import { countersFor, type SpendBudgets } from '#shared/budgets/spend-limits.ts';
import { createEmbeddedTables, guardTableSpecs } from '#shared/tables/index.ts';
import { GuardUnavailableError } from '#shared/tool-result/index.ts';
import { startEmbeddedDynamoDb, unreachableDynamoDb, uniquePrefix, type EmbeddedDynamoDb } from '../../support/embedded-dynamodb.ts';

let db: EmbeddedDynamoDb;
let tableName: string;
let store: DynamoDbSpendStore;

beforeAll(async () => {
  db = await startEmbeddedDynamoDb();
  tableName = (await createEmbeddedTables(db.client, [guardTableSpecs.guard], uniquePrefix('spend')))[guardTableSpecs.guard.id] as string;
  store = new DynamoDbSpendStore({ client: db.client, tableName });
});
afterAll(async () => db.stop());

const NOW = Date.UTC(2026, 10, 30, 12);
/** 20 in CI by default; REPETITIONS=100 for the reliability figure. */
const REPETITIONS = Number(process.env.REPETITIONS ?? 20);

describe('DynamoDbSpendStore.reserve', () => {
  it(`admits exactly 50 of 200 concurrent reservations against a budget of 50 tool calls, ${REPETITIONS} times`, async () => {
    const admittedPerRun: number[] = [];
    for (let run = 0; run < REPETITIONS; run++) {
      const budgets: SpendBudgets = { limits: [{ scope: 'user', window: 'day', toolCalls: 50 }] };
      const counters = countersFor(budgets, { user: `racer-${run}` }, NOW);
      // Separate stores = separate Lambda containers.
      const stores = Array.from({ length: 8 }, () => new DynamoDbSpendStore({ client: db.client, tableName }));
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) => (stores[i % 8] as DynamoDbSpendStore).reserve(counters, { toolCalls: 1 })),
      );
      admittedPerRun.push(results.filter((r) => r.reserved).length);
      expect((await store.read(counters))[0]?.spent.toolCalls).toBe(50);
    }
    expect(admittedPerRun).toEqual(Array.from({ length: REPETITIONS }, () => 50));
  }, 120_000);

  it('holds every counter of a step at once: a tenant cap below its users’ caps is never exceeded, and what was given back balances', async () => {
    const budgets: SpendBudgets = {
      tenant: { groupPrefix: 'tenant-' },
      limits: [
        { scope: 'user', window: 'day', toolCalls: 20 },
        { scope: 'tenant', window: 'month', toolCalls: 50 },
      ],
    };
    const users = ['ana', 'ben', 'cy', 'dee'].map((u) => `${u}-${uniquePrefix()}`);
    const tenant = `acme-${uniquePrefix()}`;
    const results = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const user = users[i % 4] as string;
        return { user, result: await store.reserve(countersFor(budgets, { user, tenant }, NOW), { toolCalls: 1 }) };
      }),
    );
    const admitted = results.filter((r) => r.result.reserved);
    expect(admitted.length).toBeGreaterThan(0);
    expect(admitted.length).toBeLessThanOrEqual(50);
    // Every counter holds exactly what was admitted against it: the refused reservations were given back.
    const tenantCounter = countersFor(budgets, { user: users[0] as string, tenant }, NOW)[1];
    expect((await store.read([tenantCounter!]))[0]?.spent.toolCalls).toBe(admitted.length);
    for (const user of users) {
      const mine = admitted.filter((a) => a.user === user).length;
      expect(mine).toBeLessThanOrEqual(20);
      expect((await store.read([countersFor(budgets, { user, tenant }, NOW)[0]!]))[0]?.spent.toolCalls).toBe(mine);
    }
    // Each refusal names the counter that refused it.
    const refusals = results.flatMap((r) => (r.result.reserved ? [] : [r.result.refusedBy.limit.scope]));
    expect(new Set(refusals).size).toBeGreaterThan(0);
  }, 60_000);

  it('admits nothing, not even an estimate of 0, on a spent budget; an amount larger than the cap is refused without a write', async () => {
    const counters = countersFor({ limits: [{ scope: 'user', window: 'day', tokens: 100 }] }, { user: uniquePrefix('t') }, NOW);
    expect((await store.reserve(counters, { tokens: 0 })).reserved).toBe(true);
    await store.settle(counters, { tokens: 100 });
    expect(await store.reserve(counters, { tokens: 0 })).toMatchObject({ reserved: false, refusedBy: { subject: counters[0]?.subject } });
    const other = countersFor({ limits: [{ scope: 'user', window: 'day', tokens: 100 }] }, { user: uniquePrefix('t') }, NOW);
    expect((await store.reserve(other, { tokens: 101 })).reserved).toBe(false);
    expect((await store.read(other))[0]?.spent.tokens).toBe(0);
  });

  it('keeps a counter per window: a new day starts empty, the month goes on', async () => {
    const budgets: SpendBudgets = {
      limits: [
        { scope: 'user', window: 'day', toolCalls: 1 },
        { scope: 'user', window: 'month', toolCalls: 3 },
      ],
    };
    const user = uniquePrefix('w');
    const day = (d: number) => countersFor(budgets, { user }, Date.UTC(2026, 10, d, 23, 59));
    expect((await store.reserve(day(28), { toolCalls: 1 })).reserved).toBe(true);
    expect(await store.reserve(day(28), { toolCalls: 1 })).toMatchObject({ reserved: false, refusedBy: { period: '2026-11-28' } });
    expect((await store.reserve(day(29), { toolCalls: 1 })).reserved).toBe(true);
    expect((await store.reserve(day(30), { toolCalls: 1 })).reserved).toBe(true);
    // The month's three are spent, though the 1st of December's day is fresh.
    expect(await store.reserve(day(30), { toolCalls: 1 })).toMatchObject({ reserved: false });
    expect((await store.reserve(countersFor(budgets, { user }, Date.UTC(2026, 11, 1)), { toolCalls: 1 })).reserved).toBe(true);
  });

  it('fails closed when the table cannot be reached', async () => {
    const unreachable = new DynamoDbSpendStore({ client: unreachableDynamoDb(), tableName });
    const counters = countersFor({ limits: [{ scope: 'user', window: 'day', toolCalls: 5 }] }, { user: 'u' }, NOW);
    await expect(unreachable.reserve(counters, { toolCalls: 1 })).rejects.toBeInstanceOf(GuardUnavailableError);
  });
});

describe('SpendGuard', () => {
  const prices = { inputPerMillion: 1_000_000, outputPerMillion: 2_000_000 }; // $1 an input token, $2 an output token

  it('reserves a model call’s ceiling, shrinks its answer to what is left, settles with what was reported, and tells when a share is crossed', async () => {
    const budgets: SpendBudgets = { limits: [{ scope: 'user', window: 'month', tokens: 10_000, alarmAt: 0.5 }] };
    const guard = new SpendGuard(budgets, store, { now: () => NOW });
    const spender = { user: uniquePrefix('m') };
    // The ceiling, 3,000 of prompt and 2,048 of answer, is reserved before the call: past half the cap, told once.
    const first = await guard.reserveModelCall(spender, { promptTokens: 3000, maxAnswerTokens: 2048 });
    if (!first.allow) throw new Error(first.reason);
    expect(first.maxAnswerTokens).toBe(2048);
    expect(first.crossings.map((c: SpendCrossing) => [c.dimension, c.spent])).toEqual([['tokens', 5048]]);
    expect(await first.settle({ inputTokens: 1000, outputTokens: 200 })).toEqual([]);
    expect(await guard.standing(spender)).toEqual([
      expect.objectContaining({ scope: 'user', window: 'month', period: '2026-11', limit: { tokens: 10_000 }, spent: { tokens: 1200 } }),
    ]);
    // 8,800 left: a prompt of up to 8,000 leaves room for an answer of 800, and the call gets that cap.
    const second = await guard.reserveModelCall(spender, { promptTokens: 8000, maxAnswerTokens: 2048 });
    if (!second.allow) throw new Error(second.reason);
    expect(second.maxAnswerTokens).toBe(800);
    expect((await guard.standing(spender))[0]?.spent).toEqual({ tokens: 10_000 });
    // While it is in flight nothing is left: a third call is not made, naming the budget.
    const third = await guard.reserveModelCall(spender, { promptTokens: 100, maxAnswerTokens: 2048 });
    expect(third).toEqual({
      allow: false,
      reason: `user ${spender.user}'s budget for 2026-11 (10000 tokens) has no room for the next model call (a prompt of up to 100 tokens and an answer of at least 256)`,
      stoppedBy: { kind: 'user', budget: `user ${spender.user}'s budget for 2026-11 (10000 tokens)` },
    });
    await second.settle({ inputTokens: 4000, outputTokens: 800 });
    expect((await guard.standing(spender))[0]?.spent).toEqual({ tokens: 6000 });
  });

  it('prices the ceiling for a dollar cap: $1 an input token and $2 an output token leave a 300-token prompt room for 600', async () => {
    const guard = new SpendGuard({ limits: [{ scope: 'tenant', window: 'day', usd: 1500 }] }, store, { prices, now: () => NOW });
    const spender = { user: 'u', tenant: uniquePrefix('t') };
    const call = await guard.reserveModelCall(spender, { promptTokens: 300, maxAnswerTokens: 2048 });
    if (!call.allow) throw new Error(call.reason);
    expect(call.maxAnswerTokens).toBe(600);
    expect((await guard.standing(spender))[0]?.spent).toEqual({ usd: 1500 });
    await call.settle(undefined);
    expect((await guard.standing(spender))[0]?.spent).toEqual({ usd: 0 });
  });

  it('never reserves past a cap however many calls reserve at once: 20 ceilings of 1,000 against 4,000 admit at most 4', async () => {
    const guard = new SpendGuard({ limits: [{ scope: 'user', window: 'day', tokens: 4000 }] }, store, { now: () => NOW });
    const spender = { user: uniquePrefix('race') };
    const calls = await Promise.all(
      Array.from({ length: 20 }, () => guard.reserveModelCall(spender, { promptTokens: 500, maxAnswerTokens: 500 })),
    );
    const admitted = calls.filter((c) => c.allow);
    expect(admitted.length).toBeGreaterThanOrEqual(1);
    expect(admitted.length).toBeLessThanOrEqual(4);
    expect((await guard.standing(spender))[0]?.spent.tokens).toBeLessThanOrEqual(4000);
  });

  it('reserves a turn’s tool calls all or none', async () => {
    const guard = new SpendGuard({ limits: [{ scope: 'user', window: 'day', toolCalls: 3 }] }, store, { now: () => NOW });
    const spender = { user: uniquePrefix('c') };
    expect(await guard.reserveToolCalls(spender, 2)).toEqual({ allow: true, crossings: [] });
    expect(await guard.reserveToolCalls(spender, 2)).toMatchObject({ allow: false });
    expect((await guard.standing(spender))[0]?.spent).toEqual({ toolCalls: 2 });
  });
});
