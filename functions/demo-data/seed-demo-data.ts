import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { S3Client } from '@aws-sdk/client-s3';
import { BatchWriteItemCommand, type BatchWriteItemCommandOutput, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import type { Article } from '../tools/search-knowledge-base/knowledge-base-store.ts';
import type { Order } from '../tools/lookup-order/order-store.ts';
import { putDocument } from '../commons/document-store/put-document.ts';

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

/** Seeds the knowledge base and the orders. */
export const seedDemoData = async (client: DynamoDBClient, tables: { knowledgeBase: string; orders: string }) => {
  const articles = await loadJson<Article[]>('knowledge-base.json');
  const orders = await loadJson<Order[]>('orders.json');
  await writeAll(
    client,
    tables.knowledgeBase,
    articles.map((a) => ({
      PutRequest: { Item: { articleId: { S: a.articleId }, title: { S: a.title }, body: { S: a.body }, url: { S: a.url } } },
    })),
  );
  await writeAll(
    client,
    tables.orders,
    orders.map((o) => ({ PutRequest: { Item: { orderId: { S: o.orderId }, order: { S: JSON.stringify(o) } } } })),
  );
  return { articles: articles.length, orders: orders.length };
};

/** The demo documents, by their path under `documents/`. */
export const demoDocuments = async (): Promise<Array<{ path: string; text: string }>> => {
  const files = (await readdir(DEMO_DOCUMENTS_DIR, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  return Promise.all(
    files.map(async (entry) => {
      const file = join(entry.parentPath, entry.name);
      return { path: relative(DEMO_DOCUMENTS_DIR, file).split('\\').join('/'), text: await readFile(file, 'utf8') };
    }),
  );
};

/** Puts the demo documents into the bucket, under `documents/` where the document tools look. */
export const seedDemoDocuments = async (s3: S3Client, bucket: string): Promise<void> => {
  for (const document of await demoDocuments()) await putDocument(s3, bucket, document.path, document.text);
};
