import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Mailer, OutgoingEmail } from './mailer.ts';

/** Local mode: email lands in the outbox table (`messageId` key) instead of leaving the machine. */
export class OutboxMailer implements Mailer {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #now: () => Date;

  constructor(client: DynamoDBClient, tableName: string, now: () => Date = () => new Date()) {
    this.#client = client;
    this.#tableName = tableName;
    this.#now = now;
  }

  async send(email: OutgoingEmail, signal?: AbortSignal): Promise<string> {
    try {
      await this.#client.send(
        new PutItemCommand({
          TableName: this.#tableName,
          Item: { messageId: { S: email.messageId }, email: { S: JSON.stringify({ ...email, queuedAt: this.#now().toISOString() }) } },
          ConditionExpression: 'attribute_not_exists(messageId)',
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
    }
    return email.messageId;
  }
}
