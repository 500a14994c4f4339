import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { putIfAbsent } from '../../commons/put-if-absent.ts';

export interface Ticket {
  readonly ticketId: string;
  readonly title: string;
  readonly description: string;
  readonly priority: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly runId: string;
}

/** The tickets table (`ticketId` key). Never overwrites. */
export class TicketStore {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;

  constructor(client: DynamoDBClient, tableName: string) {
    this.#client = client;
    this.#tableName = tableName;
  }

  /** Returns false when a ticket with this id already exists. */
  create(ticket: Ticket, signal?: AbortSignal): Promise<boolean> {
    return putIfAbsent(
      this.#client,
      this.#tableName,
      'ticketId',
      { ticketId: { S: ticket.ticketId }, ticket: { S: JSON.stringify(ticket) } },
      signal,
    );
  }
}
