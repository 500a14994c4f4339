import { requireEnv } from '#shared/aws/env.ts';
import { createGuardedHandler } from '#shared/pipeline/guarded-handler.ts';
import { dynamoDb, guardTablesFromEnv } from '../../commons/lambda-env.ts';
import { OrderStore } from './order-store.ts';
import { lookupOrder } from './tool.ts';

export const handler = createGuardedHandler({
  tool: lookupOrder,
  deps: { orders: new OrderStore(dynamoDb, requireEnv('ORDERS_TABLE')) },
  client: dynamoDb,
  tables: guardTablesFromEnv(),
});
