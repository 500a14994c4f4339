import { requireEnv } from '#shared/aws/env.ts';
import { createGuardedHandler } from '#shared/pipeline/guarded-handler.ts';
import { dynamoDb, guardTablesFromEnv } from '../../commons/lambda-env.ts';
import { createDeps } from './deps.ts';
import { fetchUrl } from './tool.ts';

export const handler = createGuardedHandler({
  tool: fetchUrl,
  deps: createDeps(requireEnv, { fetch: globalThis.fetch }),
  client: dynamoDb,
  tables: guardTablesFromEnv(),
});
