import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface Order {
  readonly orderId: string;
  readonly status: string;
  readonly customer: string;
  readonly items: ReadonlyArray<{ readonly sku: string; readonly name: string; readonly quantity: number }>;
  readonly totalCents: number;
  readonly currency: string;
  readonly placedAt: string;
  readonly updatedAt: string;
}

/** The orders table (`orderId` key); each order is one item whose `order` attribute holds its JSON. */
export class OrderStore {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;

  constructor(client: DynamoDBClient, tableName: string) {
    this.#client = client;
    this.#tableName = tableName;
  }

  async get(orderId: string, signal?: AbortSignal): Promise<Order | undefined> {
    const out = await this.#client.send(new GetItemCommand({ TableName: this.#tableName, Key: { orderId: { S: orderId } } }), {
      abortSignal: signal,
    });
    return out.Item?.order?.S ? (JSON.parse(out.Item.order.S) as Order) : undefined;
  }
}
