import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { putIfAbsent } from '../../commons/put-if-absent.ts';

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
    await putIfAbsent(
      this.#client,
      this.#tableName,
      'announcementId',
      { announcementId: { S: announcement.announcementId }, announcement: { S: JSON.stringify(announcement) } },
      signal,
    );
  }
}
