import { cp, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BatchWriteItemCommand, type BatchWriteItemCommandOutput, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import type { Article } from '../tools/search-knowledge-base/knowledge-base-store.ts';
import type { Order } from '../tools/lookup-order/order-store.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const DEMO_DOCUMENTS_DIR = join(here, 'documents');

const loadJson = async <T>(file: string): Promise<T> => JSON.parse(await readFile(join(here, file), 'utf8')) as T;

const writeAll = async (client: DynamoDBClient, tableName: string, requests: WriteRequest[]) => {
  for (let i = 0; i < requests.length; i += 25) {
    let pending: WriteRequest[] | undefined = requests.slice(i, i + 25);
    while (pending && pending.length > 0) {
      const out: BatchWriteItemCommandOutput = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }));
      pending = out.UnprocessedItems?.[tableName];
    }
  }
};

/** Seeds the knowledge base and the orders, and copies the demo documents into `documentsDir` (so deletes never touch the repo). */
export const seedDemoData = async (client: DynamoDBClient, tables: { knowledgeBase: string; orders: string }, documentsDir?: string) => {
  const articles = await loadJson<Article[]>('knowledge-base.json');
  const orders = await loadJson<Order[]>('orders.json');
  await writeAll(client, tables.knowledgeBase, articles.map((a) => ({ PutRequest: { Item: { articleId: { S: a.articleId }, title: { S: a.title }, body: { S: a.body }, url: { S: a.url } } } })));
  await writeAll(client, tables.orders, orders.map((o) => ({ PutRequest: { Item: { orderId: { S: o.orderId }, order: { S: JSON.stringify(o) } } } })));
  if (documentsDir) await cp(DEMO_DOCUMENTS_DIR, documentsDir, { recursive: true, force: false, errorOnExist: false });
  return { articles: articles.length, orders: orders.length };
};
