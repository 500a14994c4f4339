import {
  QueryCommand,
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
  type QueryCommandInput,
  type ScanCommandInput,
} from '@aws-sdk/client-dynamodb';
import { GuardUnavailableError } from '../tool-result/index.ts';

type Item = Record<string, AttributeValue>;

/** The SDK's conditional-check failure, recognised by name so no error class is bundled for it. */
export const isConditionalCheckFailed = (error: unknown): error is Error & { Item?: Item } =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/**
 * The item as it was when a condition failed: DynamoDB returns it with the error when the write
 * asks (`ReturnValuesOnConditionCheckFailure: 'ALL_OLD'`), under the write's own action. Never a
 * read: the roles are granted none for this (the embedded stand-ins supply the item as DynamoDB does).
 */
export const itemOfConditionFailure = (error: Error & { Item?: Item }): Item | undefined => error.Item;

/**
 * Runs a DynamoDB operation and turns any failure into a `GuardUnavailableError`: the stores fail
 * closed, and the caller is told what could not be done, never the SDK's internals.
 */
export const failClosed = async <T>(message: string, operation: () => Promise<T>): Promise<T> => {
  try {
    return await operation();
  } catch (error) {
    throw new GuardUnavailableError(message, { cause: error });
  }
};

/**
 * A conditional write whose failed condition is an answer, not an error: `{ written: false }` with
 * the item that failed it (returned with the error). Any other failure fails closed with `message`.
 */
export const conditionalWrite = async <T>(
  message: string,
  write: () => Promise<T>,
): Promise<{ readonly written: true; readonly output: T } | { readonly written: false; readonly item: Item | undefined }> => {
  try {
    return { written: true, output: await write() };
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw new GuardUnavailableError(message, { cause: error });
    return { written: false, item: itemOfConditionFailure(error) };
  }
};

/**
 * A conditional write whose failed condition means there is nothing to do (the state moved on):
 * whether it was written. Any other failure fails closed with `message`.
 */
export const writeIfStill = async (message: string, write: () => Promise<unknown>): Promise<boolean> => {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw new GuardUnavailableError(message, { cause: error });
  }
};

/** Every page of a query or scan, one after the other, failing closed with `message`. */
const eachPage = async (
  client: DynamoDBClient,
  message: string,
  input: { readonly query: QueryCommandInput } | { readonly scan: ScanCommandInput },
  onPage: (page: { readonly Items?: Item[]; readonly Count?: number }) => void,
): Promise<void> => {
  let startKey: Item | undefined;
  do {
    const from = startKey;
    const out = await failClosed(message, () =>
      client.send(
        'query' in input
          ? new QueryCommand({ ...input.query, ExclusiveStartKey: from })
          : new ScanCommand({ ...input.scan, ExclusiveStartKey: from }),
      ),
    );
    onPage(out);
    startKey = out.LastEvaluatedKey;
  } while (startKey);
};

/**
 * Every item of a query or scan, page after page, failing closed with `message`. The stores'
 * list methods all read this way; a Limit-free read, so no page is left open half-way.
 */
export const readAllPages = async (
  client: DynamoDBClient,
  message: string,
  input: { readonly query: QueryCommandInput } | { readonly scan: ScanCommandInput },
): Promise<Item[]> => {
  const items: Item[] = [];
  await eachPage(client, message, input, (page) => items.push(...(page.Items ?? [])));
  return items;
};

/** How many items a query matches (`Select: COUNT`: nothing but the count crosses the wire), page after page, failing closed. */
export const countAllPages = async (client: DynamoDBClient, message: string, query: QueryCommandInput): Promise<number> => {
  let count = 0;
  await eachPage(client, message, { query: { ...query, Select: 'COUNT' } }, (page) => {
    count += page.Count ?? 0;
  });
  return count;
};
