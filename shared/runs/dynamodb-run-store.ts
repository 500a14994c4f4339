import { PutItemCommand, QueryCommand, TransactWriteItemsCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ConversationMessage } from '../model/conversation.ts';
import { failClosed } from '../aws/dynamodb-errors.ts';
import { GuardUnavailableError } from '../tool-result/errors.ts';
import { RunStatus, type CallRecord, type RunRecord } from './run-record.ts';

export interface DynamoDbRunStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

export interface RunSnapshot {
  readonly run: RunRecord;
  readonly messages: ConversationMessage[];
  readonly calls: CallRecord[];
}

const RUN = 'run';
const UNAVAILABLE = 'The run could not be read or saved.';
const msgKey = (seq: number) => `msg#${String(seq).padStart(6, '0')}`;

/**
 * Runs in one table partition per run: the run record, one item per conversation message and one
 * per call. The conversation can grow past any state-payload or item limit: the state machine only
 * ever carries the run id and the current turn's calls.
 */
export class DynamoDbRunStore {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;

  constructor(options: DynamoDbRunStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
  }

  /** Creates the run and its first (user) message; refuses an existing run id. */
  async create(run: RunRecord): Promise<void> {
    await failClosed(UNAVAILABLE, () => this.#client.send(
      new PutItemCommand({
        TableName: this.#tableName,
        Item: { runId: { S: run.runId }, sk: { S: RUN }, run: { S: JSON.stringify(run) }, messages: { N: '1' } },
        ConditionExpression: 'attribute_not_exists(runId)',
      }),
    ));
    await failClosed(UNAVAILABLE, () => this.#client.send(new PutItemCommand({ TableName: this.#tableName, Item: { runId: { S: run.runId }, sk: { S: msgKey(1) }, message: { S: JSON.stringify({ role: 'user', text: run.input }) } } })));
  }

  /** The run, its whole conversation and its calls, in one strongly consistent query. */
  async load(runId: string): Promise<RunSnapshot | undefined> {
    let run: RunRecord | undefined;
    const messages: ConversationMessage[] = [];
    const calls: CallRecord[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const from = startKey;
      const out = await failClosed(UNAVAILABLE, () => this.#client.send(
        new QueryCommand({ TableName: this.#tableName, KeyConditionExpression: 'runId = :r', ExpressionAttributeValues: { ':r': { S: runId } }, ConsistentRead: true, ExclusiveStartKey: from }),
      ));
      for (const item of out.Items ?? []) {
        const sk = item.sk?.S ?? '';
        if (sk === RUN && item.run?.S) run = JSON.parse(item.run.S) as RunRecord;
        else if (sk.startsWith('msg#') && item.message?.S) messages.push(JSON.parse(item.message.S) as ConversationMessage);
        else if (sk.startsWith('call#') && item.call?.S) calls.push(JSON.parse(item.call.S) as CallRecord);
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return run ? { run, messages, calls } : undefined;
  }

  /**
   * Appends messages and records calls, and updates the run, in one transaction: the conversation
   * and the run record never disagree, whatever fails in between.
   */
  async advance(run: RunRecord, appended: readonly ConversationMessage[], firstSeq: number, calls: readonly CallRecord[]): Promise<void> {
    const items = [
      ...appended.map((message, i) => ({ Put: { TableName: this.#tableName, Item: { runId: { S: run.runId }, sk: { S: msgKey(firstSeq + i) }, message: { S: JSON.stringify(message) } } } })),
      ...calls.map((call) => ({ Put: { TableName: this.#tableName, Item: { runId: { S: run.runId }, sk: { S: `call#${call.callId}` }, call: { S: JSON.stringify(call) } } } })),
      {
        Update: {
          TableName: this.#tableName,
          Key: { runId: { S: run.runId }, sk: { S: RUN } },
          UpdateExpression: 'SET #run = :run',
          ConditionExpression: 'attribute_exists(runId)',
          ExpressionAttributeNames: { '#run': 'run' },
          ExpressionAttributeValues: { ':run': { S: JSON.stringify(run) } },
        },
      },
    ];
    // DynamoDB takes up to 100 items a transaction; dynalite has no transactions, so there the writes go one by one.
    try {
      await this.#client.send(new TransactWriteItemsCommand({ TransactItems: items }));
    } catch (error) {
      if (!(error instanceof Error && /UnknownOperation|not supported|UnrecognizedClient/i.test(`${error.name} ${error.message}`))) {
        throw new GuardUnavailableError('The run could not be saved.', { cause: error });
      }
      for (const item of items) {
        if ('Put' in item && item.Put) await failClosed(UNAVAILABLE, () => this.#client.send(new PutItemCommand(item.Put)));
        else if ('Update' in item && item.Update) await failClosed(UNAVAILABLE, () => this.#client.send(new UpdateItemCommand(item.Update)));
      }
    }
  }

  /** Sets a run's status (and output) unless it already ended. */
  async finish(run: RunRecord, status: RunStatus, output?: string): Promise<RunRecord> {
    const finished: RunRecord = { ...run, status, ...(output === undefined ? {} : { output }), updatedAt: new Date().toISOString() };
    await this.advance(finished, [], 0, []);
    return finished;
  }

}

export { RunStatus };
