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

  it('reserves a model call at the run’s average call, settles with what the provider reported, and tells when a share is crossed', async () => {
    const budgets: SpendBudgets = { limits: [{ scope: 'user', window: 'month', tokens: 900, usd: 1500, alarmAt: 0.5 }] };
    const guard = new SpendGuard(budgets, store, { prices, now: () => NOW });
    const spender = { user: uniquePrefix('m') };
    const first = await guard.reserveModelCall(spender, undefined);
    if (!first.allow) throw new Error(first.reason);
    expect(first.crossings).toEqual([]);
    expect(await first.settle({ inputTokens: 300, outputTokens: 100 })).toEqual([]); // 400 tokens, $500: below half of each cap
    expect(await guard.standing(spender)).toEqual([
      expect.objectContaining({
        scope: 'user',
        window: 'month',
        period: '2026-11',
        limit: { tokens: 900, usd: 1500 },
        spent: { tokens: 400, usd: 500 },
      }),
    ]);
    // The next is reserved at 400 and comes out at 250: the counters hold what was spent.
    const second = await guard.reserveModelCall(spender, { inputTokens: 300, outputTokens: 100, modelCalls: 1 });
    if (!second.allow) throw new Error(second.reason);
    // Reserving 400 more takes both past half their caps: told once, by the write that crossed.
    expect(second.crossings.map((c: SpendCrossing) => [c.dimension, c.spent])).toEqual([
      ['tokens', 800],
      ['usdMicros', 1_000_000_000],
    ]);
    expect(await second.settle({ inputTokens: 200, outputTokens: 50 })).toEqual([]);
    expect((await guard.standing(spender))[0]?.spent).toEqual({ tokens: 650, usd: 800 });
    // A third at the average (325 tokens) does not fit in 900: refused, naming the budget.
    const third = await guard.reserveModelCall(spender, { inputTokens: 500, outputTokens: 150, modelCalls: 2 });
    expect(third).toEqual({
      allow: false,
      reason: `user ${spender.user}'s budget for 2026-11 (900 tokens, $1500) would be exceeded`,
      stoppedBy: { kind: 'user', budget: `user ${spender.user}'s budget for 2026-11 (900 tokens, $1500)` },
    });
  });

  it('reserves a turn’s tool calls all or none', async () => {
    const guard = new SpendGuard({ limits: [{ scope: 'user', window: 'day', toolCalls: 3 }] }, store, { now: () => NOW });
    const spender = { user: uniquePrefix('c') };
    expect(await guard.reserveToolCalls(spender, 2)).toEqual({ allow: true, crossings: [] });
    expect(await guard.reserveToolCalls(spender, 2)).toMatchObject({ allow: false });
    expect((await guard.standing(spender))[0]?.spent).toEqual({ toolCalls: 2 });
  });
});
