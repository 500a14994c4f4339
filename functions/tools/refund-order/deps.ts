import type { CreateDeps } from '../../commons/tool-deps.ts';
import { demoTableSpecs } from '../../demo-data/demo-tables.ts';
import { RefundStore } from './refund-store.ts';

export const createDeps: CreateDeps<{ refunds: RefundStore }, 'dynamoDb'> = (env, { dynamoDb }) => ({
  refunds: new RefundStore(dynamoDb, env(demoTableSpecs.orders.envVar)),
});
