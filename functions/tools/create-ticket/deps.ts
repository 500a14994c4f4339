import type { CreateDeps } from '../../commons/tool-deps.ts';
import { demoTableSpecs } from '../../demo-data/demo-tables.ts';
import { TicketStore } from './ticket-store.ts';

export const createDeps: CreateDeps<{ tickets: TicketStore }, 'dynamoDb'> = (env, { dynamoDb }) => ({
  tickets: new TicketStore(dynamoDb, env(demoTableSpecs.tickets.envVar)),
});
