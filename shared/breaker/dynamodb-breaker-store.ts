import type { StoreAccess } from '../tables/index.ts';
import { GetItemCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { batchGetConsistent, failClosed, writeIfStill } from '../aws/index.ts';
import { GUARD_PARTITION_KEY, toolItemKey } from '../guard-table/index.ts';
import type { BreakerSettings } from '../tool/index.ts';
import { BreakerState, judgeBreaker, type BreakerSnapshot } from './circuit-breaker.ts';

const UNREADABLE = 'Breaker state could not be read, so the call was refused.';
const UNWRITABLE = 'Breaker state could not be updated.';

/** Where `DynamoDbBreakerStore` keeps breakers: the client, the guard table, and the clock. */
export interface DynamoDbBreakerStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** The clock, epoch milliseconds. @default Date.now */
  readonly now?: () => number;
}

/** Reads the breaker out of the tool's guard item (absent attributes: CLOSED). */
export const breakerSnapshotOf = (item: Readonly<Record<string, AttributeValue>> | undefined): BreakerSnapshot => {
  const state = item?.breaker?.S;
  if (state !== BreakerState.OPEN && state !== BreakerState.HALF_OPEN) return { state: BreakerState.CLOSED };
  return {
    state,
    // Stryker disable next-line OptionalChaining: an OPEN or HALF_OPEN state was read from the item, so it exists
    ...(item?.openUntil?.N === undefined ? {} : { openUntil: Number(item.openUntil.N) }),
    // Stryker disable next-line OptionalChaining: as above
    ...(item?.probeUntil?.N === undefined ? {} : { probeUntil: Number(item.probeUntil.N) }),
  };
};

/**
 * Breaker state on the tool's item in the guard table. Every transition is one conditional write,
 * never read-then-write: counters are atomic `ADD`s, opening and the probe claim are conditioned
 * on the state they leave, so concurrent callers cannot both win.
 *
 * @example
 * const breakers = new DynamoDbBreakerStore({ client, tableName: 'GuardState' });
 * const switchedOff = await breakers.openAmong(['lookup_order', 'create_ticket']);
 */
export class DynamoDbBreakerStore {
  /** What each method asks of the table it is given: the deployed roles are granted this, method by method. */
  static readonly access = {
    read: { actions: ['GetItem'] },
    openAmong: { actions: ['BatchGetItem'] },
    claimProbe: { actions: ['UpdateItem'] },
    closeAfterProbe: { actions: ['UpdateItem'] },
    reopenAfterProbe: { actions: ['UpdateItem'] },
    recordFailure: { actions: ['UpdateItem'] },
  } as const satisfies StoreAccess;

  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #now: () => number;

  constructor(options: DynamoDbBreakerStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#now = options.now ?? Date.now;
  }

  /** For use without the rate limiter (which returns the item for free). */
  async read(tool: string): Promise<BreakerSnapshot> {
    const out = await this.#send(new GetItemCommand({ TableName: this.#tableName, Key: this.#key(tool), ConsistentRead: true }));
    return breakerSnapshotOf(out.Item);
  }

  /**
   * The tools among `tools` whose breaker keeps calls out right now (open, or probing). One batch
   * read per 100 tools; keys DynamoDB leaves unprocessed are read again, and a breaker it never
   * answers for fails the read closed rather than count as closed.
   */
  async openAmong(tools: readonly string[]): Promise<Set<string>> {
    const open = new Set<string>();
    const now = this.#now();
    const items = await batchGetConsistent(
      this.#client,
      this.#tableName,
      tools.map((tool) => this.#key(tool)),
      UNREADABLE,
    );
    for (const item of items) {
      // Stryker disable next-line OptionalChaining,StringLiteral,Regex: every item it returns has its key, which starts with tool#
      const tool = (item[GUARD_PARTITION_KEY]?.S ?? '').replace(/^tool#/, '');
      if (judgeBreaker(breakerSnapshotOf(item), now).verdict === 'reject') open.add(tool);
    }
    return open;
  }

  /** Exactly one caller wins the half-open probe after the cooldown (or after a lost probe). */
  async claimProbe(tool: string, probeTimeoutMs: number): Promise<boolean> {
    const now = this.#now();
    return this.#conditional(
      new UpdateItemCommand({
        TableName: this.#tableName,
        Key: this.#key(tool),
        UpdateExpression: 'SET breaker = :half, probeUntil = :probeUntil',
        ConditionExpression: '(breaker = :open AND openUntil <= :now) OR (breaker = :half AND probeUntil <= :now)',
        ExpressionAttributeValues: {
          ':half': { S: BreakerState.HALF_OPEN },
          ':open': { S: BreakerState.OPEN },
          ':now': { N: String(now) },
          ':probeUntil': { N: String(now + probeTimeoutMs) },
        },
      }),
    );
  }

  /** Probe succeeded: HALF_OPEN -> CLOSED with a fresh window. Returns whether this call closed it. */
  async closeAfterProbe(tool: string): Promise<boolean> {
    const now = this.#now();
    return this.#conditional(
      new UpdateItemCommand({
        TableName: this.#tableName,
        Key: this.#key(tool),
        UpdateExpression: 'SET breaker = :closed, failures = :zero, windowStart = :now REMOVE openUntil, probeUntil',
        ConditionExpression: 'breaker = :half',
        ExpressionAttributeValues: {
          ':closed': { S: BreakerState.CLOSED },
          ':half': { S: BreakerState.HALF_OPEN },
          ':zero': { N: '0' },
          ':now': { N: String(now) },
        },
      }),
    );
  }

  /** Probe failed: HALF_OPEN -> OPEN for another cooldown. */
  async reopenAfterProbe(tool: string, settings: BreakerSettings): Promise<boolean> {
    const now = this.#now();
    return this.#conditional(
      new UpdateItemCommand({
        TableName: this.#tableName,
        Key: this.#key(tool),
        UpdateExpression: 'SET breaker = :open, openUntil = :until REMOVE probeUntil',
        ConditionExpression: 'breaker = :half',
        ExpressionAttributeValues: {
          ':open': { S: BreakerState.OPEN },
          ':half': { S: BreakerState.HALF_OPEN },
          ':until': { N: String(now + settings.cooldownMs) },
        },
      }),
    );
  }

  /**
   * Counts one failure in the current window (starting a new window when the old one is over) and
   * opens the breaker when the count reaches the threshold. Returns whether this call opened it.
   */
  async recordFailure(tool: string, settings: BreakerSettings): Promise<boolean> {
    const now = this.#now();
    const windowFloor = String(now - settings.windowMs);
    let failures: number | undefined;
    // Stryker disable next-line ConditionalExpression,EqualityOperator,UpdateOperator: the bound matters only to a window start lost to another writer three times in a row
    for (let attempt = 0; attempt < 3 && failures === undefined; attempt++) {
      failures = (await this.#countInWindow(tool, windowFloor)) ?? (await this.#startWindow(tool, now, windowFloor));
    }
    // Stryker disable next-line ConditionalExpression: undefined only after three lost window starts; the open is conditioned on the count anyway
    if (failures === undefined || failures < settings.failureThreshold) return false;
    return this.#conditional(
      new UpdateItemCommand({
        TableName: this.#tableName,
        Key: this.#key(tool),
        UpdateExpression: 'SET breaker = :open, openUntil = :until',
        ConditionExpression: '(attribute_not_exists(breaker) OR breaker = :closed) AND failures >= :threshold',
        ExpressionAttributeValues: {
          ':open': { S: BreakerState.OPEN },
          ':closed': { S: BreakerState.CLOSED },
          ':until': { N: String(now + settings.cooldownMs) },
          ':threshold': { N: String(settings.failureThreshold) },
        },
      }),
    );
  }

  async #countInWindow(tool: string, windowFloor: string): Promise<number | undefined> {
    // Stryker disable next-line StringLiteral: overwritten by the write's answer, which always carries the counter (UPDATED_NEW)
    let failures = '1';
    const counted = await writeIfStill(UNWRITABLE, async () => {
      const out = await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: this.#key(tool),
          UpdateExpression: 'ADD failures :one',
          ConditionExpression: 'windowStart > :floor',
          ExpressionAttributeValues: { ':one': { N: '1' }, ':floor': { N: windowFloor } },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      // Stryker disable next-line OptionalChaining: UPDATED_NEW always returns the counter the write added to
      failures = out.Attributes?.failures?.N ?? '1';
    });
    return counted ? Number(failures) : undefined;
  }

  async #startWindow(tool: string, now: number, windowFloor: string): Promise<number | undefined> {
    const started = await this.#conditional(
      new UpdateItemCommand({
        TableName: this.#tableName,
        Key: this.#key(tool),
        UpdateExpression: 'SET failures = :one, windowStart = :now',
        ConditionExpression: 'attribute_not_exists(windowStart) OR windowStart <= :floor',
        ExpressionAttributeValues: { ':one': { N: '1' }, ':now': { N: String(now) }, ':floor': { N: windowFloor } },
      }),
    );
    return started ? 1 : undefined;
  }

  #key(tool: string): Record<string, AttributeValue> {
    return { [GUARD_PARTITION_KEY]: { S: toolItemKey(tool) } };
  }

  async #conditional(command: UpdateItemCommand): Promise<boolean> {
    return writeIfStill(UNWRITABLE, () => this.#client.send(command));
  }

  async #send(command: GetItemCommand) {
    return failClosed(UNREADABLE, () => this.#client.send(command));
  }
}
