import type { CreateDeps } from '../../commons/tool-deps.ts';
import { demoTableSpecs } from '../../demo-data/demo-tables.ts';
import { OrderStore } from './order-store.ts';

export const createDeps: CreateDeps<{ orders: OrderStore }, 'dynamoDb'> = (env, { dynamoDb }) => ({
  orders: new OrderStore(dynamoDb, env(demoTableSpecs.orders.envVar)),
});
