import { requireEnv } from '#shared/aws/env.ts';
import { createGuardedHandler } from '#shared/pipeline/guarded-handler.ts';
import { dynamoDb, guardTablesFromEnv } from '../../commons/lambda-env.ts';
import { TicketStore } from './ticket-store.ts';
import { createTicket } from './tool.ts';

export const handler = createGuardedHandler({
  tool: createTicket,
  deps: { tickets: new TicketStore(dynamoDb, requireEnv('TICKETS_TABLE')) },
  client: dynamoDb,
  tables: guardTablesFromEnv(),
});
