import { createGuardedHandler } from '#shared/pipeline/guarded-handler.ts';
import { dynamoDb, guardTablesFromEnv } from '../../commons/lambda-env.ts';
import { fetchUrl } from './tool.ts';

export const handler = createGuardedHandler({
  tool: fetchUrl,
  deps: { fetch: globalThis.fetch },
  client: dynamoDb,
  tables: guardTablesFromEnv(),
});
