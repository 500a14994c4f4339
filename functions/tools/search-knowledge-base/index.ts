import { requireEnv } from '#shared/aws/env.ts';
import { createGuardedHandler } from '#shared/pipeline/guarded-handler.ts';
import { dynamoDb, guardTablesFromEnv } from '../../commons/lambda-env.ts';
import { KnowledgeBaseStore } from './knowledge-base-store.ts';
import { searchKnowledgeBase } from './tool.ts';

export const handler = createGuardedHandler({
  tool: searchKnowledgeBase,
  deps: { articles: new KnowledgeBaseStore(dynamoDb, requireEnv('KNOWLEDGE_BASE_TABLE')) },
  client: dynamoDb,
  tables: guardTablesFromEnv(),
});
