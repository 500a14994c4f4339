/**
 * `guarded-agents/lambda`: what a tool folder's `deps.ts` and a team's own Lambda code use (the
 * construct generates each tool's entry from `tool.ts` and `deps.ts`; `createToolHandler` is what
 * that entry calls). Loads the AWS SDK's DynamoDB client and Powertools.
 */
export { requireEnv } from '../shared/aws/index.ts';
export { createToolHandler } from './commons/tool-handler.ts';
export { ResourceEnv, type CreateDeps, type ToolClients, type ToolEnv } from './commons/tool-deps.ts';
export { S3DocumentStore } from './commons/document-store/s3-document-store.ts';
export type { DocumentStore } from './commons/document-store/document-store.ts';
