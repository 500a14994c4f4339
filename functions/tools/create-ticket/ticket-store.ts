import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface Ticket {
  readonly ticketId: string;
  readonly title: string;
  readonly description: string;
  readonly priority: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly runId: string;
}

/** The tickets table (`ticketId` key). A put never overwrites: the id is derived from the call, so a repeat is a no-op. */
export class TicketStore {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;

  constructor(client: DynamoDBClient, tableName: string) {
    this.#client = client;
    this.#tableName = tableName;
  }

  /** Returns false when a ticket with this id already exists. */
  async create(ticket: Ticket, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.#client.send(
        new PutItemCommand({
          TableName: this.#tableName,
          Item: { ticketId: { S: ticket.ticketId }, ticket: { S: JSON.stringify(ticket) } },
          ConditionExpression: 'attribute_not_exists(ticketId)',
        }),
        { abortSignal: signal },
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}
