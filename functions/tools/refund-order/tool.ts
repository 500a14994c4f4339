import * as z from 'zod/mini';
import { orderIdArgument } from '../../commons/order-id.ts';
import { boundedInt, boundedText } from '../../../shared/argument-types/index.ts';
import { hashCanonical } from '../../../shared/canonical-json/index.ts';
import { defaultBreaker, defineTool, limitPresets, type ToolContext } from '../../../shared/tool/index.ts';
import { ToolDeclinedError } from '../../../shared/tool-result/index.ts';
import { demoTableSpecs } from '../../demo-data/demo-tables.ts';
import type { RefundStore } from './refund-store.ts';

export interface RefundOrderDeps {
  readonly refunds: RefundStore;
  /** @default () => new Date() */
  readonly clock?: () => Date;
}

/** Whole euros and cents, for the model and the person approving. */
const money = (cents: number, currency: string) => `${(cents / 100).toFixed(2)} ${currency}`;

export const refundOrder = defineTool({
  name: 'refund_order',
  description:
    "Refund part or all of a customer order, in cents of the order's currency, with the reason. Money goes back to the customer and cannot be taken back. Returns the refund id and the order's total refunded so far.",
  input: z.strictObject({
    orderId: orderIdArgument(),
    amountCents: boundedInt({
      description: "The amount to refund, in cents of the order's currency (1 to 1,000,000).",
      min: 1,
      max: 1_000_000,
    }),
    reason: boundedText({ description: 'Why the customer is refunded, one line the customer may see. Max 200 characters.', max: 200 }),
  }),
  risk: 'destructive',
  limits: limitPresets.destructive,
  timeoutMs: 3000,
  breaker: defaultBreaker,
  resources: [{ kind: 'table', table: demoTableSpecs.orders.id, access: 'readWrite', actions: ['GetItem', 'UpdateItem'] }],
  handler: async ({ orderId, amountCents, reason }, { deps, runId, callId, caller, signal }: ToolContext<RefundOrderDeps>) => {
    // The id comes from the call, so even a repeat that got past idempotency refunds once.
    const refundId = `RFD-${hashCanonical([runId, callId]).slice(0, 10).toUpperCase()}`;
    const at = (deps.clock?.() ?? new Date()).toISOString();
    const outcome = await deps.refunds.refund(orderId, { refundId, amountCents, reason, by: caller.userId, at }, signal);
    if (outcome.kind === 'no-order')
      throw new ToolDeclinedError(`No order ${orderId}.`, { suggestion: 'Ask the user to check the order id.' });
    if (outcome.kind === 'too-much')
      throw new ToolDeclinedError(`Only ${money(outcome.leftCents, outcome.currency)} of ${orderId} is left to refund.`, {
        suggestion: 'Refund at most what is left, or tell the user the order is refunded already.',
      });
    return {
      refundId,
      orderId,
      refunded: money(amountCents, outcome.currency),
      refundedSoFar: money(outcome.refundedCents, outcome.currency),
    };
  },
});
