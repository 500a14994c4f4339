import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { S3DocumentStore } from './document-store/s3-document-store.ts';
import { AnnouncementStore } from '../tools/publish-announcement/announcement-store.ts';
import { KnowledgeBaseStore } from '../tools/search-knowledge-base/knowledge-base-store.ts';
import { OrderStore } from '../tools/lookup-order/order-store.ts';
import { SesMailer } from '../tools/send-email/ses-mailer.ts';
import { TicketStore } from '../tools/create-ticket/ticket-store.ts';

export interface LocalDataTables {
  readonly knowledgeBase: string;
  readonly orders: string;
  readonly tickets: string;
  readonly announcements: string;
}

/**
 * The dependencies of every demo tool, built as each tool's `index.ts` builds them when deployed
 * (the same stores, the same S3 and SES code) on the clients handed in: the embedded DynamoDB, S3
 * and SES locally and in the tests.
 */
export const localToolDeps = (options: {
  client: DynamoDBClient;
  s3: S3Client;
  ses: SESv2Client;
  tables: LocalDataTables;
  /** The documents bucket (documents are under `documents/`). */
  bucket: string;
  /** The verified identity email is sent from. */
  sender: string;
  fetch?: typeof fetch;
}) => {
  const { client, tables } = options;
  const documents = new S3DocumentStore(options.s3, options.bucket);
  return {
    search_knowledge_base: { articles: new KnowledgeBaseStore(client, tables.knowledgeBase) },
    read_document: { documents },
    lookup_order: { orders: new OrderStore(client, tables.orders) },
    fetch_url: { fetch: options.fetch ?? globalThis.fetch },
    create_ticket: { tickets: new TicketStore(client, tables.tickets) },
    send_email: { mailer: new SesMailer(options.ses, options.sender) },
    delete_document: { documents },
    publish_announcement: { announcements: new AnnouncementStore(client, tables.announcements) },
  } as const;
};
