import { DeleteItemCommand, GetItemCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { failClosed, writeIfStill } from '../../../shared/aws/index.ts';
import type { UntrustedSource } from '../../../shared/guards/index.ts';
import type { StoreAccess } from '../../../shared/tables/index.ts';
import * as FunctionEnv from '../../commons/env/function-env.ts';

/** How long a user's MCP label lasts after the last untrusted content came in: a working day and then some. */
export const DEFAULT_MCP_LABEL_SECONDS = 24 * 60 * 60;

/** A user's MCP label: where untrusted content first came in, and until when the label holds. */
export interface McpLabel extends UntrustedSource {
  /** The MCP session it came in through (`mcp-<session>`, the run its calls are audited under). */
  readonly runId: string;
  /** Epoch milliseconds: when it came in. */
  readonly at: number;
  /** Epoch seconds: when the label lapses, unless more untrusted content comes in first. */
  readonly expiresAt: number;
}

export interface DynamoDbMcpLabelStoreOptions {
  readonly client: DynamoDBClient;
  /** The guard table (its TTL attribute `expiresAt` removes lapsed labels). */
  readonly tableName: string;
  /** @default DEFAULT_MCP_LABEL_SECONDS */
  readonly lifetimeSeconds?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

const UNAVAILABLE = 'The MCP label could not be read or written.';

/**
 * The information-flow label of a user's MCP sessions, one item per user in the guard table. Over
 * MCP the model's context outlives a session (clients reconnect, open new sessions, run several at
 * once), so the label follows the user, not the session: every session of the user carries it
 * until it lapses (`lifetimeSeconds` after the last untrusted content) or a person clears it.
 * A sink's call reads it in one strongly consistent request.
 *
 * @example
 * const labels = new DynamoDbMcpLabelStore({ client, tableName: 'GuardState' });
 * await labels.mark('uma', { tool: 'read_document', callId: 'mcp-1', runId: 'mcp-s1' });
 * await labels.get('uma'); // { tool: 'read_document', callId: 'mcp-1', runId: 'mcp-s1', at, expiresAt }
 */
export class DynamoDbMcpLabelStore {
  /** What each method asks of the table it is given: the deployed roles are granted this, method by method. */
  static readonly access = {
    get: { actions: ['GetItem'] },
    mark: { actions: ['UpdateItem'] },
    clear: { actions: ['DeleteItem'] },
  } as const satisfies StoreAccess;

  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #lifetimeSeconds: number;
  readonly #now: () => number;

  constructor(options: DynamoDbMcpLabelStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#lifetimeSeconds = options.lifetimeSeconds ?? DEFAULT_MCP_LABEL_SECONDS;
    if (!Number.isInteger(this.#lifetimeSeconds) || this.#lifetimeSeconds < 1)
      throw new Error(`An MCP label lasts a whole number of seconds, at least 1 (got ${this.#lifetimeSeconds}).`);
    this.#now = options.now ?? Date.now;
  }

  #key(userId: string): Record<string, AttributeValue> {
    return { pk: { S: `mcp-label#${userId}` } };
  }

  /** The user's label while it holds; undefined when there is none or it has lapsed. Fails closed. */
  async get(userId: string): Promise<McpLabel | undefined> {
    const out = await failClosed(UNAVAILABLE, () =>
      this.#client.send(new GetItemCommand({ TableName: this.#tableName, Key: this.#key(userId), ConsistentRead: true })),
    );
    const label = labelOf(out.Item);
    return label && label.expiresAt * 1000 > this.#now() ? label : undefined;
  }

  /**
   * Untrusted content reached this user over MCP: the label holds from now for its lifetime. A
   * label that holds keeps its first source and only lasts longer; one that lapsed is replaced.
   */
  async mark(userId: string, source: UntrustedSource & { readonly runId: string }): Promise<void> {
    const nowMs = this.#now();
    const nowSeconds = Math.floor(nowMs / 1000);
    const expiresAt = nowSeconds + this.#lifetimeSeconds;
    const started = await writeIfStill(UNAVAILABLE, () =>
      this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: this.#key(userId),
          UpdateExpression: 'SET tool = :tool, callId = :callId, runId = :runId, #at = :at, expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: {
            ':tool': { S: source.tool },
            ':callId': { S: source.callId },
            ':runId': { S: source.runId },
            ':at': { N: String(nowMs) },
            ':expiresAt': { N: String(expiresAt) },
            ':now': { N: String(nowSeconds) },
          },
        }),
      ),
    );
    if (started) return;
    // A label holds already: it lasts from this content on, never shorter.
    await writeIfStill(UNAVAILABLE, () =>
      this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: this.#key(userId),
          UpdateExpression: 'SET expiresAt = :expiresAt',
          ConditionExpression: 'attribute_exists(pk) AND expiresAt < :expiresAt',
          ExpressionAttributeValues: { ':expiresAt': { N: String(expiresAt) } },
        }),
      ),
    );
  }

  /** Clears the user's label (a person decided the model's context is clean): the label it cleared, if one held. */
  async clear(userId: string): Promise<McpLabel | undefined> {
    const out = await failClosed(UNAVAILABLE, () =>
      this.#client.send(new DeleteItemCommand({ TableName: this.#tableName, Key: this.#key(userId), ReturnValues: 'ALL_OLD' })),
    );
    const label = labelOf(out.Attributes);
    return label && label.expiresAt * 1000 > this.#now() ? label : undefined;
  }
}

const labelOf = (item: Record<string, AttributeValue> | undefined): McpLabel | undefined =>
  item?.tool?.S && item.callId?.S
    ? {
        tool: item.tool.S,
        callId: item.callId.S,
        runId: item.runId?.S ?? '',
        at: Number(item.at?.N ?? '0'),
        expiresAt: Number(item.expiresAt?.N ?? '0'),
      }
    : undefined;

/** The MCP function's label store, its lifetime as the deployment set it (`MCP_LABEL_SECONDS`), else the default. */
export const mcpLabelsFrom = (
  env: Readonly<Record<string, string | undefined>>,
  client: DynamoDBClient,
  tableName: string,
  now?: () => number,
): DynamoDbMcpLabelStore => {
  const lifetime = FunctionEnv.MCP_LABEL_SECONDS.read(env);
  return new DynamoDbMcpLabelStore({
    client,
    tableName,
    ...(lifetime === undefined ? {} : { lifetimeSeconds: lifetime }),
    ...(now ? { now } : {}),
  });
};
