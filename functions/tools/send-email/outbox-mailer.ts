import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { putIfAbsent } from '../../commons/put-if-absent.ts';
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
    const item = { messageId: { S: email.messageId }, email: { S: JSON.stringify({ ...email, queuedAt: this.#now().toISOString() }) } };
    await putIfAbsent(this.#client, this.#tableName, 'messageId', item, signal);
    return email.messageId;
  }
}
