import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FolderDocumentStore } from './document-store/folder-document-store.ts';
import { AnnouncementStore } from '../tools/publish-announcement/announcement-store.ts';
import { KnowledgeBaseStore } from '../tools/search-knowledge-base/knowledge-base-store.ts';
import { OrderStore } from '../tools/lookup-order/order-store.ts';
import { OutboxMailer } from '../tools/send-email/outbox-mailer.ts';
import { TicketStore } from '../tools/create-ticket/ticket-store.ts';

export interface LocalDataTables {
  readonly knowledgeBase: string;
  readonly orders: string;
  readonly tickets: string;
  readonly outbox: string;
  readonly announcements: string;
}

/**
 * The dependencies of every demo tool with their local stand-ins: DynamoDB tables on the embedded
 * engine, documents in a folder, email into an outbox table. Used by local mode and the tests;
 * deployed Lambdas build theirs in each tool's `index.ts`.
 */
export const localToolDeps = (options: {
  client: DynamoDBClient;
  /** The outbox stands in for SES, not for a table of the tool's: it is written with this client. @default client */
  platformClient?: DynamoDBClient;
  tables: LocalDataTables;
  documentsDir: string;
  fetch?: typeof fetch;
}) => {
  const { client, tables } = options;
  const documents = new FolderDocumentStore(options.documentsDir);
  return {
    search_knowledge_base: { articles: new KnowledgeBaseStore(client, tables.knowledgeBase) },
    read_document: { documents },
    lookup_order: { orders: new OrderStore(client, tables.orders) },
    fetch_url: { fetch: options.fetch ?? globalThis.fetch },
    create_ticket: { tickets: new TicketStore(client, tables.tickets) },
    send_email: { mailer: new OutboxMailer(options.platformClient ?? client, tables.outbox) },
    delete_document: { documents },
    publish_announcement: { announcements: new AnnouncementStore(client, tables.announcements) },
  } as const;
};
