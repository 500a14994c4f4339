import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** The environment variables naming a tool's non-table resources (tables name theirs in their TableSpec). */
export const ResourceEnv = {
  /** The documents bucket (documents under `documents/`). */
  DOCUMENTS_BUCKET: 'DOCUMENTS_BUCKET',
  /** The verified SES identity email is sent from. */
  SENDER_EMAIL: 'SENDER_EMAIL',
  /** A remote MCP server (JSON `{ url, secret? }`: GuardedAgent's `mcpServers` entry the tool names). */
  MCP_SERVER: 'MCP_SERVER',
} as const;

/** Reads one of the function's environment variables; a missing one throws with its name. */
export type ToolEnv = (name: string) => string;

/** The AWS clients (and the internet) a tool's dependencies are built on, each the function's own. */
export interface ToolClients {
  readonly dynamoDb: DynamoDBClient;
  readonly s3: S3Client;
  readonly ses: SESv2Client;
  /** Remote MCP servers' credentials. */
  readonly secrets: SecretsManagerClient;
  /** The global fetch deployed; a test gives its own. */
  readonly fetch: typeof fetch;
}

/**
 * How a tool folder's `deps.ts` builds the tool's dependencies: from the function's environment and
 * the clients it uses. The one place they are built: the Lambda entry calls it with `process.env`
 * and clients of its own, local mode with the environment CDK synthesized for the function
 * (resolved to the local resources) and clients checked against the function's role.
 */
export type CreateDeps<Deps, Uses extends keyof ToolClients = never> = (env: ToolEnv, clients: Pick<ToolClients, Uses>) => Deps;
