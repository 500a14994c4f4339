import * as z from 'zod/mini';
import { orderIdArgument } from '../../commons/order-id.ts';
import { defaultBreaker, defineTool, limitPresets, type ToolContext } from '../../../shared/tool/index.ts';
import { demoTableSpecs } from '../../demo-data/demo-tables.ts';
import { ToolDeclinedError } from '../../../shared/tool-result/index.ts';
import type { OrderStore } from './order-store.ts';

export interface LookupOrderDeps {
  readonly orders: OrderStore;
}

export const lookupOrder = defineTool({
  name: 'lookup_order',
  description:
    'Look up one customer order by its order id. Returns the status, items, total, currency and the dates it was placed and last updated.',
  input: z.strictObject({
    orderId: orderIdArgument(),
  }),
  risk: 'read',
  limits: limitPresets.read,
  timeoutMs: 3000,
  breaker: defaultBreaker,
  resources: [{ kind: 'table', table: demoTableSpecs.orders.id, access: 'read', actions: ['GetItem'] }],
  handler: async ({ orderId }, { deps, signal }: ToolContext<LookupOrderDeps>) => {
    const order = await deps.orders.get(orderId, signal);
    if (!order) throw new ToolDeclinedError(`No order ${orderId}.`, { suggestion: 'Ask the user to check the order id.' });
    return order;
  },
});
