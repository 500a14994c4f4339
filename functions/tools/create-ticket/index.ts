import { requireEnv } from '#shared/aws/env.ts';
import { createGuardedHandler } from '#shared/pipeline/guarded-handler.ts';
import { dynamoDb, guardTablesFromEnv } from '../../commons/lambda-env.ts';
import { createTicket } from './tool.ts';
import { createDeps } from './deps.ts';

export const handler = createGuardedHandler({
  tool: createTicket,
  deps: createDeps(requireEnv, { dynamoDb }),
  client: dynamoDb,
  tables: guardTablesFromEnv(),
});
