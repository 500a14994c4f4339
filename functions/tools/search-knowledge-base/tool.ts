import * as z from 'zod/mini';
import { boundedText } from '../../../shared/argument-types/index.ts';
import { defaultBreaker, defineTool, limitPresets, type ToolContext } from '../../../shared/tool/index.ts';
import { demoTableSpecs } from '../../demo-data/demo-tables.ts';
import type { KnowledgeBaseStore } from './knowledge-base-store.ts';
import { rankArticles, type SearchHit } from './rank-articles.ts';

export interface SearchKnowledgeBaseDeps {
  readonly articles: KnowledgeBaseStore;
}

export const searchKnowledgeBase = defineTool({
  name: 'search_knowledge_base',
  description: 'Search the company knowledge base for articles matching a query. Returns top 5 results with title, snippet, and URL.',
  input: z.strictObject({
    query: boundedText({
      description: 'Search query string. Supports natural language questions and keyword searches. Max 200 characters.',
      max: 200,
    }),
  }),
  risk: 'read',
  limits: limitPresets.read,
  timeoutMs: 3000,
  breaker: defaultBreaker,
  resources: [{ kind: 'table', table: demoTableSpecs.knowledgeBase.id, access: 'read', actions: ['Scan'] }],
  handler: async ({ query }, { deps, signal }: ToolContext<SearchKnowledgeBaseDeps>): Promise<{ results: SearchHit[] }> => ({
    results: rankArticles(await deps.articles.all(signal), query),
  }),
});
