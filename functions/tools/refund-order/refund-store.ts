import { ConditionalCheckFailedException, GetItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Order } from '../lookup-order/order-store.ts';

/** A refund as the order keeps it. */
export interface Refund {
  readonly refundId: string;
  readonly amountCents: number;
  readonly reason: string;
  readonly by: string;
  readonly at: string;
}

/** What a refund left on its order: the order's total refunded so far. */
export type RefundOutcome =
  | { readonly kind: 'refunded'; readonly refundedCents: number; readonly currency: string }
  | { readonly kind: 'no-order' }
  | { readonly kind: 'too-much'; readonly leftCents: number; readonly currency: string };

/**
 * Refunds on the orders table: each refund is added to its order (`refunds`, `refundedCents`,
 * `refundIds`) by one conditional update, so the total refunded never passes the order's total and
 * a refund id is added at most once, even when two refunds of one order race.
 */
export class RefundStore {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;

  constructor(client: DynamoDBClient, tableName: string) {
    this.#client = client;
    this.#tableName = tableName;
  }

  async refund(orderId: string, refund: Refund, signal?: AbortSignal): Promise<RefundOutcome> {
    const key = { orderId: { S: orderId } };
    const out = await this.#client.send(new GetItemCommand({ TableName: this.#tableName, Key: key, ConsistentRead: true }), {
      abortSignal: signal,
    });
    if (!out.Item?.order?.S) return { kind: 'no-order' };
    const order = JSON.parse(out.Item.order.S) as Order;
    const refunded = Number(out.Item.refundedCents?.N ?? '0');
    // The same refund again (a repeat that got past idempotency): it was made once, answer as then.
    if (out.Item.refundIds?.SS?.includes(refund.refundId)) return { kind: 'refunded', refundedCents: refunded, currency: order.currency };
    if (refunded + refund.amountCents > order.totalCents)
      return { kind: 'too-much', leftCents: order.totalCents - refunded, currency: order.currency };
    try {
      await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: key,
          UpdateExpression: 'SET refundedCents = :after, refunds = list_append(if_not_exists(refunds, :none), :refund) ADD refundIds :id',
          // Only over what was read: a refund in between makes this one read and check again.
          ConditionExpression: refunded === 0 ? 'attribute_not_exists(refundedCents)' : 'refundedCents = :before',
          ExpressionAttributeValues: {
            ':after': { N: String(refunded + refund.amountCents) },
            ':none': { L: [] },
            ':refund': { L: [{ S: JSON.stringify(refund) }] },
            ':id': { SS: [refund.refundId] },
            ...(refunded === 0 ? {} : { ':before': { N: String(refunded) } }),
          },
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return this.refund(orderId, refund, signal);
      throw error;
    }
    return { kind: 'refunded', refundedCents: refunded + refund.amountCents, currency: order.currency };
  }
}
