import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface Announcement {
  readonly announcementId: string;
  readonly title: string;
  readonly body: string;
  readonly publishedBy: string;
  readonly publishedAt: string;
}

/** The announcements table (`announcementId` key); what the company intranet shows. Never overwrites. */
export class AnnouncementStore {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;

  constructor(client: DynamoDBClient, tableName: string) {
    this.#client = client;
    this.#tableName = tableName;
  }

  async publish(announcement: Announcement, signal?: AbortSignal): Promise<void> {
    try {
      await this.#client.send(
        new PutItemCommand({
          TableName: this.#tableName,
          Item: { announcementId: { S: announcement.announcementId }, announcement: { S: JSON.stringify(announcement) } },
          ConditionExpression: 'attribute_not_exists(announcementId)',
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
    }
  }
}
