import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BreakerState } from '#shared/breaker/circuit-breaker.ts';
import { breakerSnapshotOf, DynamoDbBreakerStore } from '#shared/breaker/dynamodb-breaker-store.ts';
import { createEmbeddedTables, guardTableSpecs } from '#shared/tables/index.ts';
import { GuardUnavailableError } from '#shared/tool-result/index.ts';
import { countRequests, type SentRequest } from '../../support/request-counter.ts';
import { throttledReads } from '../../support/throttled-reads.ts';
import { startEmbeddedDynamoDb, uniquePrefix, unreachableDynamoDb, type EmbeddedDynamoDb } from '../../support/embedded-dynamodb.ts';

const settings = { failureThreshold: 3, windowMs: 1000, cooldownMs: 5000 };
let db: EmbeddedDynamoDb;
let tableName: string;
let store: DynamoDbBreakerStore;
/** What the store sent, in order. */
let sent: SentRequest[];
/** The store's clock, set by each step (epoch ms). */
let clock = 0;
const at = (ms: number) => ((clock = ms), store);
let counter = 0;
const freshTool = () => `tool_${counter++}`;

beforeAll(async () => {
  db = await startEmbeddedDynamoDb();
  tableName = (await createEmbeddedTables(db.client, [guardTableSpecs.guard], uniquePrefix('br')))[guardTableSpecs.guard.id] as string;
  sent = countRequests(db.client).sent;
  store = new DynamoDbBreakerStore({ client: db.client, tableName, now: () => clock });
});
afterAll(async () => db.stop());

describe('breakerSnapshotOf', () => {
  it('reads CLOSED from no item, an item without a breaker, and a closed one (whatever else it holds)', () => {
    expect(breakerSnapshotOf(undefined)).toEqual({ state: BreakerState.CLOSED });
    expect(breakerSnapshotOf({})).toEqual({ state: BreakerState.CLOSED });
    expect(breakerSnapshotOf({ breaker: { S: 'CLOSED' }, openUntil: { N: '5' } })).toEqual({ state: BreakerState.CLOSED });
  });
  it('reads each state with its own deadline only', () => {
    expect(breakerSnapshotOf({ breaker: { S: 'OPEN' }, openUntil: { N: '5' } })).toEqual({ state: BreakerState.OPEN, openUntil: 5 });
    expect(breakerSnapshotOf({ breaker: { S: 'HALF_OPEN' }, probeUntil: { N: '9' } })).toEqual({
      state: BreakerState.HALF_OPEN,
      probeUntil: 9,
    });
  });
});

describe('DynamoDbBreakerStore', () => {
  it('counts failures in a window and opens at the threshold, once; a failure below it in a window is one request', async () => {
    const tool = freshTool();
    expect(await at(10_000).recordFailure(tool, settings)).toBe(false);
    sent.length = 0;
    expect(await at(10_100).recordFailure(tool, settings)).toBe(false);
    expect(sent).toHaveLength(1);
    expect(await at(10_200).recordFailure(tool, settings)).toBe(true);
    expect(await at(10_300).recordFailure(tool, settings)).toBe(false);
    expect(await at(10_300).read(tool)).toEqual({ state: BreakerState.OPEN, openUntil: 15_200 });
  });

  it('starts a new window when the old one is over, so old failures stop counting', async () => {
    const tool = freshTool();
    await at(10_000).recordFailure(tool, settings);
    await at(10_500).recordFailure(tool, settings);
    expect(await at(11_001).recordFailure(tool, settings)).toBe(false);
    expect(await at(11_100).recordFailure(tool, settings)).toBe(false);
    expect(await at(11_200).recordFailure(tool, settings)).toBe(true);
  });

  it('opens at the first failure when the threshold is 1', async () => {
    expect(await at(10_000).recordFailure(freshTool(), { ...settings, failureThreshold: 1 })).toBe(true);
  });

  it('reads strongly consistently, and an unknown tool as CLOSED', async () => {
    sent.length = 0;
    expect(await store.read(freshTool())).toEqual({ state: BreakerState.CLOSED });
    expect(sent.map((s) => [s.command, s.input.ConsistentRead])).toEqual([['GetItemCommand', true]]);
  });

  it('gives the probe to one caller after the cooldown, and to another once the probe is given up', async () => {
    const tool = freshTool();
    await at(10_000).recordFailure(tool, { ...settings, failureThreshold: 1 });
    expect(await at(14_999).claimProbe(tool, 2000)).toBe(false);
    expect(await at(15_000).claimProbe(tool, 2000)).toBe(true);
    expect(await at(15_001).claimProbe(tool, 2000)).toBe(false);
    expect(await store.read(tool)).toEqual({ state: BreakerState.HALF_OPEN, openUntil: 15_000, probeUntil: 17_000 });
    expect(await at(16_999).claimProbe(tool, 2000)).toBe(false);
    expect(await at(17_000).claimProbe(tool, 2000)).toBe(true);
  });

  it('closes after a good probe with a fresh window (once), and re-opens after a bad one (once)', async () => {
    const good = freshTool();
    await at(10_000).recordFailure(good, { ...settings, failureThreshold: 1 });
    await at(15_000).claimProbe(good, 2000);
    expect(await at(15_500).closeAfterProbe(good)).toBe(true);
    expect(await at(15_600).closeAfterProbe(good)).toBe(false);
    expect(await store.read(good)).toEqual({ state: BreakerState.CLOSED });
    expect(await at(15_700).recordFailure(good, settings)).toBe(false);

    const bad = freshTool();
    await at(10_000).recordFailure(bad, { ...settings, failureThreshold: 1 });
    await at(15_000).claimProbe(bad, 2000);
    expect(await at(15_500).reopenAfterProbe(bad, settings)).toBe(true);
    expect(await at(15_600).reopenAfterProbe(bad, settings)).toBe(false);
    expect(await store.read(bad)).toEqual({ state: BreakerState.OPEN, openUntil: 20_500 });
  });

  it('names, in one batch read per 100 tools, those that keep calls out: open, or probing', async () => {
    const tools = Array.from({ length: 105 }, freshTool);
    const [open, openLate, probing, cooled] = [tools[3], tools[102], tools[50], tools[60]] as [string, string, string, string];
    for (const tool of [open, openLate, probing]) await at(10_000).recordFailure(tool, { ...settings, failureThreshold: 1 });
    await at(1000).recordFailure(cooled, { ...settings, failureThreshold: 1 });
    await at(14_000).claimProbe(probing, 10_000);
    expect(await at(14_000).claimProbe(probing, 10_000)).toBe(false);
    sent.length = 0;
    expect(await at(14_500).openAmong(tools)).toEqual(new Set([open, openLate, probing]));
    expect(
      sent.map((s) => [s.command, (s.input.RequestItems as Record<string, { ConsistentRead: boolean }>)[tableName]?.ConsistentRead]),
    ).toEqual([
      ['BatchGetItemCommand', true],
      ['BatchGetItemCommand', true],
    ]);
    expect(await store.openAmong([])).toEqual(new Set());
  });

  it('reads again a breaker DynamoDB left unprocessed, and refuses rather than take one never read for closed', async () => {
    const [open, other] = [freshTool(), freshTool()];
    await at(10_000).recordFailure(open, { ...settings, failureThreshold: 1 });
    const throttled = throttledReads(db.endpoint, tableName, 1);
    const reader = new DynamoDbBreakerStore({ client: throttled.client, tableName, now: () => 10_500 });
    // The open one is the key held back at first: it is asked for again.
    expect(await reader.openAmong([other, open])).toEqual(new Set([open]));
    expect(throttled.seen.reads).toBe(2);
    const starved = throttledReads(db.endpoint, tableName, 100);
    const refused = new DynamoDbBreakerStore({ client: starved.client, tableName, now: () => 10_500 }).openAmong([other, open]);
    await expect(refused).rejects.toThrow(new GuardUnavailableError('Breaker state could not be read, so the call was refused.'));
    throttled.client.destroy();
    starved.client.destroy();
  });

  it('fails closed, saying what could not be done, when DynamoDB does not answer', async () => {
    const broken = new DynamoDbBreakerStore({ client: unreachableDynamoDb(), tableName });
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: unknown) => error,
      );
    for (const error of [await refusal(broken.read('t')), await refusal(broken.openAmong(['t']))]) {
      expect(error).toBeInstanceOf(GuardUnavailableError);
      expect((error as Error).message).toBe('Breaker state could not be read, so the call was refused.');
    }
    for (const error of [await refusal(broken.recordFailure('t', settings)), await refusal(broken.claimProbe('t', 1))]) {
      expect(error).toBeInstanceOf(GuardUnavailableError);
      expect((error as Error).message).toBe('Breaker state could not be updated.');
    }
  });
});
