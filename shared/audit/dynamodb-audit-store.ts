import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type AuditRecord, callerToolKey, ranHandler } from './audit-record.ts';
import { nextLink, type AuditLink, type RunChain } from './audit-chain.ts';
import { batchPut, countAllPages, type PendingPut, isConditionalCheckFailed, readAllPages } from '../aws/index.ts';
import { AUDIT_BY_CALLER_TOOL_INDEX, AUDIT_BY_DAY_INDEX, type StoreAccess } from '../tables/index.ts';
import { auditDayKey, auditDayKeys } from './audit-day.ts';
import { AuditWriteError } from './errors.ts';

/** Seals sort after every record of their run (records' keys start with an ISO time) and carry no day: the index never sees them. */
const LINK_PREFIX = '~link#';
const linkKey = (seq: number) => `${LINK_PREFIX}${String(seq).padStart(6, '0')}`;

/** Index queries in flight at once when listing a time range. */
const PARALLEL_QUERIES = 8;

/** Where `DynamoDbAuditStore` writes: the client, the audit table, and the clock. */
export interface DynamoDbAuditStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** The clock seals are dated by, epoch milliseconds. @default Date.now */
  readonly now?: () => number;
}

/**
 * Audit records by run (`runId` partition, `sk` = time#attempt sort key), one put per attempt.
 *
 * @example
 * const audit = new DynamoDbAuditStore({ client, tableName: requireEnv('AUDIT_TABLE') });
 */
export class DynamoDbAuditStore {
  /** What each method asks of the table it is given: the deployed roles are granted this, method by method. */
  static readonly access = {
    put: { actions: ['PutItem'] },
    // `put` with puts beside it: one batch (batchPut: one BatchWriteItem, or a PutItem each if that fails).
    putAlongside: { actions: ['BatchWriteItem', 'PutItem'] },
    putIfAbsent: { actions: ['PutItem'] },
    listBetween: { actions: [], queries: [AUDIT_BY_DAY_INDEX.name] },
    countCallsSince: { actions: [], queries: [AUDIT_BY_CALLER_TOOL_INDEX.name] },
    listByRun: { actions: ['Query'] },
    readChain: { actions: ['Query'] },
    seal: { actions: ['Query', 'PutItem'] },
    sealChain: { actions: ['Query', 'PutItem'] },
  } as const satisfies StoreAccess;

  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #now: () => number;

  constructor(options: DynamoDbAuditStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Writes an attempt's record, and with it, in the same request, the puts the attempt left for
   * its end (the result stored for replay): one round trip. Fails with AuditWriteError if the
   * record cannot be written, else with the error of a put that could not be.
   */
  async put(record: AuditRecord, alongside: readonly PendingPut[] = []): Promise<void> {
    // No condition needed for "exactly one record per attempt": the key holds the attempt id,
    // so a duplicate delivery of the same attempt overwrites its own record, never adds one.
    const own: PendingPut = { tableName: this.#tableName, item: this.#item(record), failure: (cause) => new AuditWriteError({ cause }) };
    if (alongside.length > 0) return batchPut(this.#client, [own, ...alongside]);
    try {
      await this.#client.send(new PutItemCommand({ TableName: own.tableName, Item: own.item }));
    } catch (error) {
      throw own.failure(error);
    }
  }

  /**
   * Writes the record of an attempt unless that attempt has one: a later attempt recording an
   * earlier one that crashed never replaces what the earlier one wrote itself.
   * @returns whether it was written
   */
  async putIfAbsent(record: AuditRecord): Promise<boolean> {
    try {
      await this.#client.send(
        new PutItemCommand({ TableName: this.#tableName, Item: this.#item(record), ConditionExpression: 'attribute_not_exists(sk)' }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw new AuditWriteError({ cause: error });
    }
  }

  #item(record: AuditRecord) {
    return {
      runId: { S: record.runId },
      sk: { S: `${record.at}#${record.attemptId}` },
      day: { S: auditDayKey(record.at, record.attemptId) },
      tool: { S: record.tool },
      status: { S: record.status },
      record: { S: JSON.stringify(record) },
      // Only calls that ran carry the key of the index `countCallsSince` reads.
      ...(ranHandler(record) ? { callerTool: { S: callerToolKey(record.tool, record.userId) } } : {}),
    };
  }

  /**
   * A user's calls of a tool (attempts whose handler ran) that started at `since` or after, across
   * runs and MCP sessions: one count on the sparse index, nothing read but keys. The index is
   * eventually consistent: a call a moment old may not be counted yet.
   */
  async countCallsSince(tool: string, userId: string, since: Date): Promise<number> {
    return countAllPages(this.#client, 'The audit trail could not be read.', {
      TableName: this.#tableName,
      IndexName: AUDIT_BY_CALLER_TOOL_INDEX.name,
      KeyConditionExpression: 'callerTool = :key AND sk >= :since',
      ExpressionAttributeValues: { ':key': { S: callerToolKey(tool, userId) }, ':since': { S: since.toISOString() } },
    });
  }

  /**
   * Every record whose attempt started between two times (inclusive), across runs, from the index
   * by day: one query per day and shard, a few at a time. Stops after `limit` records (`truncated`).
   */
  async listBetween(from: Date, to: Date, limit = 100_000): Promise<{ records: AuditRecord[]; truncated: boolean }> {
    const keys = auditDayKeys(from, to);
    const records: AuditRecord[] = [];
    let truncated = false;
    const [low, high] = [from.toISOString(), `${to.toISOString()}\uffff`];
    for (let i = 0; i < keys.length && !truncated; i += PARALLEL_QUERIES) {
      const pages = await Promise.all(
        keys.slice(i, i + PARALLEL_QUERIES).map((day) =>
          readAllPages(this.#client, 'The audit trail could not be read.', {
            query: {
              TableName: this.#tableName,
              IndexName: AUDIT_BY_DAY_INDEX.name,
              KeyConditionExpression: '#day = :day AND sk BETWEEN :low AND :high',
              ExpressionAttributeNames: { '#day': 'day' },
              ExpressionAttributeValues: { ':day': { S: day }, ':low': { S: low }, ':high': { S: high } },
            },
          }),
        ),
      );
      for (const item of pages.flat()) {
        if (records.length >= limit) {
          truncated = true;
          break;
        }
        if (item.record?.S) records.push(JSON.parse(item.record.S) as AuditRecord);
      }
    }
    return { records: records.sort((a, b) => a.at.localeCompare(b.at)), truncated };
  }

  /** Every record of a run, oldest first. */
  async listByRun(runId: string): Promise<AuditRecord[]> {
    const items = await this.#readRun(runId);
    return items.flatMap((item) => (item.record?.S ? [JSON.parse(item.record.S) as AuditRecord] : []));
  }

  /** A run's records as stored (with the attributes copied out of them) and its seals. */
  async readChain(runId: string): Promise<RunChain> {
    const items = await this.#readRun(runId);
    return {
      records: items.flatMap((item) =>
        item.record?.S && item.sk?.S
          ? [
              {
                key: item.sk.S,
                record: JSON.parse(item.record.S) as AuditRecord,
                attributes: {
                  ...(item.tool?.S ? { tool: item.tool.S } : {}),
                  ...(item.status?.S ? { status: item.status.S } : {}),
                  ...(item.day?.S ? { day: item.day.S } : {}),
                  ...(item.callerTool?.S ? { callerTool: item.callerTool.S } : {}),
                },
              },
            ]
          : [],
      ),
      links: items.flatMap((item) => (item.link?.S ? [JSON.parse(item.link.S) as AuditLink] : [])),
    };
  }

  /**
   * Seals what a run's records added since its last seal: one read of the run's partition, one
   * conditional put. Two sealers at once write one seal between them; the other's records wait
   * for the next. @returns the seal written, if any
   */
  async seal(runId: string): Promise<AuditLink | undefined> {
    return this.#sealOnto(await this.readChain(runId), runId, new Date(this.#now()));
  }

  /** Seals as `seal` does, and answers the run's chain as it now is (read again only when another sealer got there first). */
  async sealChain(runId: string): Promise<RunChain> {
    const at = new Date(this.#now());
    const chain = await this.readChain(runId);
    const link = await this.#sealOnto(chain, runId, at);
    if (link) return { records: chain.records, links: [...chain.links, link] };
    return nextLink(chain, runId, at) ? this.readChain(runId) : chain;
  }

  async #sealOnto(chain: RunChain, runId: string, at: Date): Promise<AuditLink | undefined> {
    const link = nextLink(chain, runId, at);
    if (!link) return undefined;
    try {
      await this.#client.send(
        new PutItemCommand({
          TableName: this.#tableName,
          Item: { runId: { S: runId }, sk: { S: linkKey(link.seq) }, link: { S: JSON.stringify(link) } },
          ConditionExpression: 'attribute_not_exists(sk)',
        }),
      );
      return link;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw new AuditWriteError({ cause: error });
    }
  }

  #readRun(runId: string) {
    // Fails closed like every store: an unreachable trail is "unavailable" (503), never a 500.
    return readAllPages(this.#client, 'The audit trail could not be read.', {
      query: {
        TableName: this.#tableName,
        KeyConditionExpression: 'runId = :run',
        ExpressionAttributeValues: { ':run': { S: runId } },
        ConsistentRead: true,
      },
    });
  }
}
