import type { TableSpec } from '../../shared/tables/index.ts';

/** The demo tools' own data stores. */
export const demoTableSpecs = {
  knowledgeBase: { id: 'KnowledgeBase', envVar: 'KNOWLEDGE_BASE_TABLE', partitionKey: 'articleId' },
  orders: { id: 'Orders', envVar: 'ORDERS_TABLE', partitionKey: 'orderId' },
  tickets: { id: 'Tickets', envVar: 'TICKETS_TABLE', partitionKey: 'ticketId' },
  announcements: { id: 'Announcements', envVar: 'ANNOUNCEMENTS_TABLE', partitionKey: 'announcementId' },
} as const satisfies Record<string, TableSpec>;
