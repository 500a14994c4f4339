import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface Article {
  readonly articleId: string;
  readonly title: string;
  readonly body: string;
  readonly url: string;
}

/** The knowledge base table (`articleId` key). Small by design: read whole and cached per container for a minute. */
export class KnowledgeBaseStore {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  #cache: { at: number; articles: Article[] } | undefined;

  constructor(client: DynamoDBClient, tableName: string) {
    this.#client = client;
    this.#tableName = tableName;
  }

  async all(signal?: AbortSignal): Promise<Article[]> {
    if (this.#cache && Date.now() - this.#cache.at < 60_000) return this.#cache.articles;
    const articles: Article[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const out = await this.#client.send(new ScanCommand({ TableName: this.#tableName, ExclusiveStartKey: startKey }), {
        abortSignal: signal,
      });
      for (const item of out.Items ?? []) {
        articles.push({ articleId: item.articleId?.S ?? '', title: item.title?.S ?? '', body: item.body?.S ?? '', url: item.url?.S ?? '' });
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    this.#cache = { at: Date.now(), articles };
    return articles;
  }
}
