import { randomUUID } from 'node:crypto';
import { PutItemCommand, QueryCommand, TransactWriteItemsCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ConversationMessage } from '../model/index.ts';
import { failClosed, isConditionalCheckFailed, readAllPages } from '../aws/index.ts';
import { GuardUnavailableError } from '../tool-result/index.ts';
import { RunChangedError, type RunExpectation } from './errors.ts';
import { RUNS_BY_MONTH, RUNS_BY_OWNER, type StoreAccess } from '../tables/index.ts';
import { RunStatus, TERMINAL_STATUSES, type CallRecord, type RunRecord } from './run-record.ts';

/** Where `DynamoDbRunStore` keeps runs: the client, the runs table, and the clock. */
export interface DynamoDbRunStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/** Where a listing of runs continues: the month partition (everyone's runs) and the last key read there. */
export interface RunListCursor {
  readonly month?: string;
  readonly key?: Record<string, { readonly S: string }>;
}

/** A run as loaded: its record, its conversation and its calls. */
export interface RunSnapshot {
  readonly run: RunRecord;
  readonly messages: ConversationMessage[];
  readonly calls: CallRecord[];
}

const RUN = 'run';
const UNAVAILABLE = 'The run could not be read or saved.';
const msgKey = (seq: number) => `msg#${String(seq).padStart(6, '0')}`;
/** The run's status and iteration, also kept as attributes of their own so writes can be conditioned on them. */
/** The tools a run asked for, as one string a listing can filter on exactly: `|a|b|` contains `|a|`. */
const toolsAttribute = (tools: readonly string[] = []) => `|${tools.join('|')}|`;
const stateAttributes = (run: RunRecord) => ({
  ':run': { S: JSON.stringify(run) },
  ':status': { S: run.status },
  ':iteration': { N: String(run.iteration) },
  ':tools': { S: toolsAttribute(run.tools) },
});
const SET_STATE = 'SET #run = :run, #status = :status, #iteration = :iteration, #tools = :tools';
const STATE_NAMES = { '#run': 'run', '#status': 'status', '#iteration': 'iteration', '#tools': 'tools' };

/** "The run has not ended", as a condition on the status attribute: the terminal statuses as values. */
const TERMINAL = [...TERMINAL_STATUSES];
const NOT_ENDED = `NOT #status IN (${TERMINAL.map((_, i) => `:t${i}`).join(', ')})`;
const TERMINAL_VALUES = Object.fromEntries(TERMINAL.map((status, i) => [`:t${i}`, { S: status }]));

/** A transaction cancelled by its condition (not by a fault): DynamoDB says so per item. */
const isTransactionConditionFailure = (error: unknown): boolean =>
  error instanceof Error &&
  error.name === 'TransactionCanceledException' &&
  ((error as Error & { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? []).some(
    (r) => r.Code === 'ConditionalCheckFailed',
  );
const isTransactionUnsupported = (error: unknown): boolean =>
  error instanceof Error && /UnknownOperation|not supported|UnrecognizedClient/i.test(`${error.name} ${error.message}`);

/** A claim older than this was left by a step that died (CallModel's function times out well before): the next step takes it over. */
const STALE_CLAIM_MS = 5 * 60_000;

/**
 * Runs in one table partition per run: the run record, one item per conversation message and one
 * per call. The conversation can grow past any state-payload or item limit: the state machine only
 * ever carries the run id and the current turn's calls.
 *
 * @example
 * const runs = new DynamoDbRunStore({ client, tableName: requireEnv('RUNS_TABLE') });
 */
export class DynamoDbRunStore {
  /** What each method asks of the table it is given: the deployed roles are granted this, method by method. */
  static readonly access = {
    create: { actions: ['PutItem'] },
    load: { actions: ['Query'] },
    // One transaction: a Put per message or call, an Update of the run (without transactions, the same actions one by one).
    advance: { actions: ['PutItem', 'UpdateItem'] },
    listUnfinished: { actions: ['Scan'] },
    list: { actions: [], queries: [RUNS_BY_OWNER.name, RUNS_BY_MONTH.name] },
    finish: { actions: ['UpdateItem'] },
  } as const satisfies StoreAccess;

  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  /** False once the engine said it has no transactions (dynalite): later steps go straight to the claim path. */
  #transactions = true;

  constructor(options: DynamoDbRunStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
  }

  /** Creates the run and its first (user) message; refuses an existing run id. */
  async create(run: RunRecord): Promise<void> {
    await failClosed(UNAVAILABLE, () =>
      this.#client.send(
        new PutItemCommand({
          TableName: this.#tableName,
          Item: {
            runId: { S: run.runId },
            sk: { S: RUN },
            run: { S: JSON.stringify(run) },
            status: { S: run.status },
            iteration: { N: String(run.iteration) },
            tools: { S: toolsAttribute(run.tools) },
            messages: { N: '1' },
            // The keys of the listing indexes (GET /runs): set once, on the run record only.
            owner: { S: run.owner },
            createdAt: { S: run.createdAt },
            month: { S: run.createdAt.slice(0, 7) },
          },
          ConditionExpression: 'attribute_not_exists(runId)',
        }),
      ),
    );
    await failClosed(UNAVAILABLE, () =>
      this.#client.send(
        new PutItemCommand({
          TableName: this.#tableName,
          Item: { runId: { S: run.runId }, sk: { S: msgKey(1) }, message: { S: JSON.stringify({ role: 'user', text: run.input }) } },
        }),
      ),
    );
  }

  /** The run, its whole conversation and its calls, in one strongly consistent query. */
  async load(runId: string): Promise<RunSnapshot | undefined> {
    let run: RunRecord | undefined;
    const messages: ConversationMessage[] = [];
    const calls: CallRecord[] = [];
    const items = await readAllPages(this.#client, UNAVAILABLE, {
      query: {
        TableName: this.#tableName,
        KeyConditionExpression: 'runId = :r',
        ExpressionAttributeValues: { ':r': { S: runId } },
        ConsistentRead: true,
      },
    });
    for (const item of items) {
      const sk = item.sk?.S ?? '';
      if (sk === RUN && item.run?.S) run = JSON.parse(item.run.S) as RunRecord;
      else if (sk.startsWith('msg#') && item.message?.S) messages.push(JSON.parse(item.message.S) as ConversationMessage);
      else if (sk.startsWith('call#') && item.call?.S) calls.push(JSON.parse(item.call.S) as CallRecord);
    }
    return run ? { run, messages, calls } : undefined;
  }

  /**
   * Appends messages and records calls, and updates the run, in one transaction, only if the run
   * is still in the state the caller loaded (`expected`): the conversation and the run record never
   * disagree, and a late, duplicate or retried step changes nothing (it gets `RunChangedError`).
   */
  async advance(
    run: RunRecord,
    appended: readonly ConversationMessage[],
    firstSeq: number,
    calls: readonly CallRecord[],
    expected: RunExpectation,
  ): Promise<void> {
    const update = {
      TableName: this.#tableName,
      Key: { runId: { S: run.runId }, sk: { S: RUN } },
      UpdateExpression: SET_STATE,
      ConditionExpression: '#status = :expectedStatus AND #iteration = :expectedIteration',
      ExpressionAttributeNames: STATE_NAMES,
      ExpressionAttributeValues: {
        ...stateAttributes(run),
        ':expectedStatus': { S: expected.status },
        ':expectedIteration': { N: String(expected.iteration) },
      },
    };
    const puts = [
      ...appended.map((message, i) => ({
        TableName: this.#tableName,
        Item: { runId: { S: run.runId }, sk: { S: msgKey(firstSeq + i) }, message: { S: JSON.stringify(message) } },
      })),
      ...calls.map((call) => ({
        TableName: this.#tableName,
        Item: { runId: { S: run.runId }, sk: { S: `call#${call.callId}` }, call: { S: JSON.stringify(call) } },
      })),
    ];
    // DynamoDB takes up to 100 items a transaction.
    if (this.#transactions) {
      try {
        await this.#client.send(new TransactWriteItemsCommand({ TransactItems: [...puts.map((Put) => ({ Put })), { Update: update }] }));
        return;
      } catch (error) {
        if (isTransactionConditionFailure(error)) throw new RunChangedError(run.runId, expected, { cause: error });
        if (!isTransactionUnsupported(error)) throw new GuardUnavailableError('The run could not be saved.', { cause: error });
        this.#transactions = false;
      }
    }
    // dynalite has no transactions (AWS and DynamoDB Local take the path above). The step claims
    // the run first, under the same condition, so a stale step writes nothing; then the items; then
    // the run record, so a reader never sees the new state before its conversation. The claim is
    // this step's own: the SDK sending it again (a timeout after it took effect) finds it and goes
    // on. A step that died holding one leaves it only until it is stale (older than any live step),
    // then the next step takes it over: found by the fault simulation, where a kept claim made every
    // later step replay the same turn for ever.
    const claim = randomUUID();
    const now = Date.now();
    await this.#conditional(run.runId, expected, () =>
      this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: update.Key,
          UpdateExpression: 'SET #claim = :claim, #claimedAt = :now',
          ConditionExpression: `${update.ConditionExpression} AND (attribute_not_exists(#claim) OR #claim = :claim OR #claimedAt < :stale)`,
          // DynamoDB refuses names an expression does not use: #run is not set here.
          ExpressionAttributeNames: { '#status': 'status', '#iteration': 'iteration', '#claim': 'claim', '#claimedAt': 'claimedAt' },
          ExpressionAttributeValues: {
            ':claim': { S: claim },
            ':now': { N: String(now) },
            ':stale': { N: String(now - STALE_CLAIM_MS) },
            ':expectedStatus': { S: expected.status },
            ':expectedIteration': { N: String(expected.iteration) },
          },
        }),
      ),
    );
    // The items are new keys, unconditional: one put each, all sent together. Puts, not batches:
    // the role is granted what the AWS path asks for (a transaction's Put and Update), nothing more.
    await failClosed(UNAVAILABLE, () => Promise.all(puts.map((put) => this.#client.send(new PutItemCommand(put)))));
    await this.#conditional(run.runId, expected, () =>
      this.#client.send(
        new UpdateItemCommand({
          ...update,
          UpdateExpression: `${SET_STATE} REMOVE #claim, #claimedAt`,
          // Still this step's claim, and the run not ended meanwhile: `finish` (a failing execution's
          // MarkFailed) does not wait for a claim, and a step that lost the race must not undo it
          // (found by the fault simulation: a duplicate step's late commit left a failed run RUNNING).
          ConditionExpression: `#claim = :claim AND ${NOT_ENDED}`,
          ExpressionAttributeNames: { ...STATE_NAMES, '#claim': 'claim', '#claimedAt': 'claimedAt' },
          ExpressionAttributeValues: { ...stateAttributes(run), ':claim': { S: claim }, ...TERMINAL_VALUES },
        }),
      ),
    );
  }

  /**
   * Every run that has not ended, oldest first. A scan: local mode calls it once at start-up to
   * resume what a crash or a stop left (deployed, Step Functions keeps executions itself).
   */
  async listUnfinished(): Promise<RunRecord[]> {
    const items = await readAllPages(this.#client, UNAVAILABLE, {
      scan: {
        TableName: this.#tableName,
        FilterExpression: `sk = :run AND ${NOT_ENDED}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':run': { S: RUN }, ...TERMINAL_VALUES },
      },
    });
    return items
      .flatMap((item) => (item.run?.S ? [JSON.parse(item.run.S) as RunRecord] : []))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /**
   * Runs newest first: one owner's (ByOwner), or everyone's (ByMonth, month by month back to
   * `months` ago), optionally of one status, `limit` at most a page. `cursor` continues a listing
   * where its previous page stopped; a page with more after it gives the next cursor.
   */
  async list(options: {
    readonly owner?: string;
    readonly status?: RunStatus;
    /** Runs that asked for this tool. */
    readonly tool?: string;
    readonly limit: number;
    readonly cursor?: RunListCursor;
    /** @default 24 */
    readonly months?: number;
    readonly now?: Date;
  }): Promise<{ runs: RunRecord[]; cursor?: RunListCursor }> {
    const runs: RunRecord[] = [];
    const now = options.now ?? new Date();
    const months = Array.from({ length: options.months ?? 24 }, (_, i) =>
      new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1)).toISOString().slice(0, 7),
    );
    const filters = [...(options.status ? ['#status = :status'] : []), ...(options.tool ? ['contains(#tools, :tool)'] : [])];
    let partition = options.owner ?? options.cursor?.month ?? months[0];
    let startKey = options.cursor?.key;
    while (partition !== undefined) {
      const out = await failClosed(UNAVAILABLE, () =>
        this.#client.send(
          new QueryCommand({
            TableName: this.#tableName,
            IndexName: options.owner ? RUNS_BY_OWNER.name : RUNS_BY_MONTH.name,
            KeyConditionExpression: '#p = :p',
            ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
            ExpressionAttributeNames: {
              '#p': options.owner ? 'owner' : 'month',
              ...(options.status ? { '#status': 'status' } : {}),
              ...(options.tool ? { '#tools': 'tools' } : {}),
            },
            ExpressionAttributeValues: {
              ':p': { S: partition as string },
              ...(options.status ? { ':status': { S: options.status } } : {}),
              ...(options.tool ? { ':tool': { S: toolsAttribute([options.tool]) } } : {}),
            },
            ScanIndexForward: false,
            Limit: options.limit - runs.length,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        ),
      );
      for (const item of out.Items ?? []) if (item.run?.S) runs.push(JSON.parse(item.run.S) as RunRecord);
      startKey = out.LastEvaluatedKey as Record<string, { S: string }> | undefined;
      if (startKey && runs.length < options.limit) continue;
      // This partition is done (or the page is full): an owner has one; everyone's go on with the month before.
      const at = months.indexOf(partition as string);
      const next = startKey ? partition : options.owner || at < 0 ? undefined : months[at + 1];
      if (runs.length >= options.limit)
        return { runs, ...(next ? { cursor: { ...(options.owner ? {} : { month: next }), ...(startKey ? { key: startKey } : {}) } } : {}) };
      partition = next;
    }
    return { runs };
  }

  /** Sets a run's status (and output) unless it already ended; returns the run as it now is. */
  async finish(run: RunRecord, status: RunStatus, output?: string): Promise<RunRecord> {
    const finished: RunRecord = { ...run, status, ...(output === undefined ? {} : { output }), updatedAt: new Date().toISOString() };
    try {
      await this.#conditional(run.runId, run, () =>
        this.#client.send(
          new UpdateItemCommand({
            TableName: this.#tableName,
            Key: { runId: { S: run.runId }, sk: { S: RUN } },
            UpdateExpression: SET_STATE,
            ConditionExpression: `attribute_exists(runId) AND ${NOT_ENDED}`,
            ExpressionAttributeNames: STATE_NAMES,
            ExpressionAttributeValues: { ...stateAttributes(finished), ...TERMINAL_VALUES },
          }),
        ),
      );
      return finished;
    } catch (error) {
      if (!(error instanceof RunChangedError)) throw error;
      return (await this.load(run.runId))?.run ?? run;
    }
  }

  async #conditional(runId: string, expected: RunExpectation, write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new RunChangedError(runId, expected, { cause: error });
      throw new GuardUnavailableError(UNAVAILABLE, { cause: error });
    }
  }
}

export { RunStatus };
