import type { CreateDeps } from '../../commons/tool-deps.ts';
import { demoTableSpecs } from '../../demo-data/demo-tables.ts';
import { KnowledgeBaseStore } from './knowledge-base-store.ts';

export const createDeps: CreateDeps<{ articles: KnowledgeBaseStore }, 'dynamoDb'> = (env, { dynamoDb }) => ({
  articles: new KnowledgeBaseStore(dynamoDb, env(demoTableSpecs.knowledgeBase.envVar)),
});
