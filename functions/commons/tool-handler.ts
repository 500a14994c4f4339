import type { ApprovalReader } from '../../shared/approval/index.ts';
import { createGuardedHandler, type PipelinePolicies } from '../../shared/pipeline/index.ts';
import type { AnyTool } from '../../shared/tool/index.ts';
import { dynamoDb } from './clients/dynamodb.ts';
import { toolGuardSettings } from './env/deployment-settings.ts';
import { guardTablesOf } from './env/guard-tables.ts';

/**
 * A tool's deployed handler: its declaration behind the guard pipeline, on the container's one
 * DynamoDB client and the guard tables its environment names; a destructive tool also reads its
 * approvals (`approvalReaderFromEnv`, imported by destructive tools' entries only, so the others'
 * bundles leave the reader out; the pipeline refuses a destructive tool without one). GuardedAgent
 * generates each tool's Lambda entry as a call of this, so every tool Lambda is wired the same way
 * and a tool folder holds only its declaration and its dependencies.
 *
 * @example
 * export const handler = createToolHandler(lookupOrder, createDeps(requireEnv, { dynamoDb }));
 */
export const createToolHandler = (
  tool: AnyTool,
  deps: unknown,
  approvals?: ApprovalReader,
  declaration?: string,
  policies?: PipelinePolicies,
) =>
  createGuardedHandler({
    tool,
    deps,
    client: dynamoDb,
    tables: guardTablesOf(),
    ...(approvals ? { approvals } : {}),
    ...(declaration === undefined ? {} : { declaration }),
    ...(policies ? { policies } : {}),
    ...toolGuardSettings(process.env),
  });
